package dev.keelson.testing.internal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Kafka broker (KRaft, broker and controller in one process) in a child JVM, on free
 * loopback ports, with its data under the work dir. The child runs {@link KafkaBrokerMain} on this
 * JVM's own class path, so the broker is whatever {@code org.apache.kafka:kafka_2.13} the tests
 * depend on. Restarts reuse the ports, the data folder and the cluster id.
 */
public final class LocalKafka implements AutoCloseable {

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  private final int port;
  private final ServerProcess process;
  private final String description;

  private LocalKafka(int port, ServerProcess process, String description) {
    this.port = port;
    this.process = process;
    this.description = description;
  }

  public static LocalKafka start() {
    String origin = brokerOrigin();
    int port = Ports.freePort();
    int controllerPort = Ports.freePort();
    while (controllerPort == port) {
      controllerPort = Ports.freePort();
    }
    Path dir = Platform.freshDirectory(Settings.workDir().resolve("kafka-" + port));
    Path data = dir.resolve("data");
    Path properties = dir.resolve("server.properties");
    Path javaOptions = dir.resolve("java-options");
    write(properties, serverProperties(port, controllerPort, data));
    // An argument file, not -cp: a long class path can pass the limit of one argument.
    write(javaOptions, "-cp \"" + escape(classPath()) + "\"\n");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@" + javaOptions);
    command.addAll(
        List.of(
            "-Xms64m",
            "-Xmx384m",
            // A test broker lives for seconds to minutes: start fast rather than peak late.
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-XX:+ExitOnOutOfMemoryError",
            "-Djava.awt.headless=true",
            // The child logs through the tests' SLF4J binding; only warnings reach its log.
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-Dlog4j2.level=WARN"));
    command.add(KafkaBrokerMain.class.getName());
    command.add(properties.toString());
    command.add(Uuid.randomUuid().toString());
    command.add(data.toString());
    ServerProcess process =
        new ServerProcess(
            "kafka:" + port, command, dir.resolve("kafka.log"), "TERM", () -> answers(port));
    process.start();
    String description =
        "local Kafka broker on "
            + address(port)
            + ", controller on port "
            + controllerPort
            + " ("
            + origin
            + " in a child JVM, data "
            + data
            + ")";
    return new LocalKafka(port, process, description);
  }

  public String bootstrapServers() {
    return address(port);
  }

  public ServerProcess process() {
    return process;
  }

  public String description() {
    return description;
  }

  @Override
  public void close() {
    process.stop();
  }

  /**
   * The settings of a one-node cluster that starts in seconds: a static quorum of this node (read
   * afresh on every start, so nothing about its address is baked into the metadata log), internal
   * topics with one replica and one partition, no initial rebalance delay, and a short broker
   * session, which a restart after a kill must wait out before the broker can register again.
   */
  static Map<String, String> serverProperties(int port, int controllerPort, Path data) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("process.roles", "broker,controller");
    settings.put("node.id", "1");
    settings.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    settings.put(
        "listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    // 127.0.0.1, not localhost: clients reconnect to the advertised address, and localhost may
    // resolve to ::1 first.
    settings.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    settings.put("controller.listener.names", "CONTROLLER");
    settings.put("inter.broker.listener.name", "PLAINTEXT");
    settings.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    settings.put("log.dirs", data.toString());
    settings.put("num.partitions", "1");
    settings.put("default.replication.factor", "1");
    settings.put("min.insync.replicas", "1");
    settings.put("auto.create.topics.enable", "true");
    // Internal topics default to 3 replicas (never available on one node) and 50 partitions.
    settings.put("offsets.topic.replication.factor", "1");
    settings.put("offsets.topic.num.partitions", "1");
    settings.put("transaction.state.log.replication.factor", "1");
    settings.put("transaction.state.log.min.isr", "1");
    settings.put("transaction.state.log.num.partitions", "1");
    settings.put("share.coordinator.state.topic.replication.factor", "1");
    settings.put("share.coordinator.state.topic.min.isr", "1");
    settings.put("share.coordinator.state.topic.num.partitions", "1");
    settings.put("group.initial.rebalance.delay.ms", "0");
    settings.put("broker.heartbeat.interval.ms", "500");
    settings.put("broker.session.timeout.ms", "3000");
    settings.put("num.network.threads", "2");
    settings.put("num.io.threads", "2");
    settings.put("background.threads", "2");
    settings.put("group.coordinator.threads", "1");
    settings.put("share.coordinator.threads", "1");
    settings.put("num.recovery.threads.per.data.dir", "1");
    // The cleaner allocates this on the heap when it starts; the default is 128 MiB.
    settings.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
    return settings;
  }

  /** Ready once the broker answers a request with itself in the cluster. */
  private static boolean answers(int port) throws Exception {
    // The cheap check first, so the admin client does not log a warning per refused connection.
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
    } catch (IOException e) {
      return false;
    }
    return KafkaProbe.brokers(address(port), PROBE_TIMEOUT) > 0;
  }

  private static String address(int port) {
    return "127.0.0.1:" + port;
  }

  /** Where the broker comes from, for the description; fails clearly if it is missing. */
  private static String brokerOrigin() {
    Class<?> broker;
    try {
      broker =
          Class.forName(KafkaBrokerMain.BROKER_CLASS, false, LocalKafka.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "no Kafka broker on the class path ("
              + KafkaBrokerMain.BROKER_CLASS
              + "): add the Maven artifact org.apache.kafka:kafka_2.13 to the test dependencies,"
              + " or point the tests at a running broker with "
              + Settings.KAFKA_BOOTSTRAP.describe(),
          e);
    }
    CodeSource source = broker.getProtectionDomain().getCodeSource();
    if (source == null) {
      return "the class path";
    }
    try {
      return Path.of(source.getLocation().toURI()).getFileName().toString();
    } catch (URISyntaxException | IllegalArgumentException e) {
      return source.getLocation().toString();
    }
  }

  /**
   * This JVM's class path, with its module path if it has one: everything the broker needs is there
   * when the tests depend on it (Maven's surefire puts the real class path here even when it starts
   * the tests through a manifest-only jar).
   */
  private static String classPath() {
    List<String> entries = new ArrayList<>();
    for (String property : List.of("java.class.path", "jdk.module.path")) {
      String value = System.getProperty(property);
      if (value != null && !value.isBlank()) {
        entries.add(value);
      }
    }
    return String.join(File.pathSeparator, entries);
  }

  /** Quoted text in a java argument file treats backslashes and quotes as escapes. */
  private static String escape(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static void write(Path file, Map<String, String> settings) {
    StringBuilder text = new StringBuilder();
    settings.forEach(
        (key, value) ->
            text.append(key).append('=').append(value.replace("\\", "\\\\")).append('\n'));
    write(file, text.toString());
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
