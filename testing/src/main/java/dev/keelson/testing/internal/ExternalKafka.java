package dev.keelson.testing.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kafka broker given by {@link Settings#KAFKA_BOOTSTRAP}. It is asked for its cluster before any
 * test uses it: a Kafka client would otherwise retry a dead address for a minute with nothing but
 * warnings in the log.
 */
final class ExternalKafka {

  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
  private static final Pattern ADDRESS =
      Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9][A-Za-z0-9._-]*):([0-9]{1,5})");

  private ExternalKafka() {}

  /** The broker at {@code bootstrapServers}, once it has answered within {@code timeout}. */
  static KafkaEndpoint connect(String bootstrapServers, Duration timeout) {
    String addresses = parse(bootstrapServers);
    String description =
        "external Kafka " + addresses + " (" + Settings.KAFKA_BOOTSTRAP.describe() + ")";
    Exception failure;
    try {
      if (KafkaProbe.brokers(addresses, timeout) > 0) {
        return new KafkaEndpoint(addresses, description, null);
      }
      failure = new IllegalStateException("the cluster reported no brokers");
    } catch (ExecutionException e) {
      failure = e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
    } catch (TimeoutException e) {
      failure = e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = e;
    }
    throw new IllegalStateException(
        description
            + " did not answer within "
            + timeout.toSeconds()
            + " s ("
            + failure
            + "): start that broker, fix the address, or unset the setting to let the tests"
            + " start their own",
        failure);
  }

  /** The addresses, checked to be {@code host:port} pairs and written without spaces. */
  static String parse(String bootstrapServers) {
    List<String> addresses = new ArrayList<>();
    for (String entry : bootstrapServers.split(",", -1)) {
      String address = entry.trim();
      Matcher matcher = ADDRESS.matcher(address);
      if (!matcher.matches() || !validPort(matcher.group(2))) {
        throw new IllegalArgumentException(
            Settings.KAFKA_BOOTSTRAP.describe()
                + ": expected host:port[,host:port...] with ports 1 to 65535, got '"
                + bootstrapServers
                + "'");
      }
      addresses.add(address);
    }
    return String.join(",", addresses);
  }

  private static boolean validPort(String digits) {
    int port = Integer.parseInt(digits);
    return port >= 1 && port <= 65535;
  }
}
