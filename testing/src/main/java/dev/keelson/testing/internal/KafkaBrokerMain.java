package dev.keelson.testing.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main class of a {@link LocalKafka} child JVM: formats the broker's storage on its first
 * start, then runs the broker. One JVM for both saves a JVM start; the storage tool is called
 * through {@code execute}, which returns its exit code, not through its {@code main}, which exits
 * the JVM.
 */
public final class KafkaBrokerMain {

  static final String BROKER_CLASS = "kafka.Kafka";
  private static final String STORAGE_TOOL_CLASS = "kafka.tools.StorageTool";
  private static final Logger log = LoggerFactory.getLogger(KafkaBrokerMain.class);

  private KafkaBrokerMain() {}

  /**
   * Runs the broker until it is stopped.
   *
   * @param args the server.properties file, the cluster id to format with, and the data folder
   *     named by its {@code log.dirs}
   * @throws Exception if Kafka cannot be called
   */
  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      throw new IllegalArgumentException(
          "args: expected <server.properties> <cluster id> <data folder>, got " + args.length);
    }
    String properties = args[0];
    // Formatted once: a restart, after a stop or a kill, runs on what is on disk.
    if (!Files.exists(Path.of(args[2], "meta.properties"))) {
      format(properties, args[1]);
    }
    Class.forName(BROKER_CLASS)
        .getMethod("main", String[].class)
        .invoke(null, (Object) new String[] {properties});
  }

  private static void format(String properties, String clusterId)
      throws ReflectiveOperationException {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
    int code = 1;
    Throwable failure = null;
    try {
      Object result =
          Class.forName(STORAGE_TOOL_CLASS)
              .getMethod("execute", String[].class, PrintStream.class)
              .invoke(null, new String[] {"format", "-t", clusterId, "-c", properties}, out);
      code = (Integer) result;
    } catch (InvocationTargetException e) {
      // The tool throws on a bad configuration rather than returning a code.
      failure = e.getCause();
    }
    String text = output.toString(StandardCharsets.UTF_8).trim();
    if (code != 0) {
      log.error(
          "formatting the storage of {} failed (code {}): {}", properties, code, text, failure);
      System.exit(code);
    }
    log.info("{}", text);
  }
}
