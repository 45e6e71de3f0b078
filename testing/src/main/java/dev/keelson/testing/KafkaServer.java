package dev.keelson.testing;

import dev.keelson.testing.internal.KafkaEndpoint;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A real Kafka broker as one test class sees it: its address, topic names no other class uses, and
 * a control of its process for a dedicated broker. Injected by {@link WithKafka}.
 */
public final class KafkaServer {

  /** Kafka's longest topic name. */
  private static final int MAX_TOPIC_LENGTH = 249;

  private static final Pattern TOPIC_CHARACTERS = Pattern.compile("[A-Za-z0-9._-]+");

  private final KafkaEndpoint endpoint;
  private final TestScope scope;
  private final boolean dedicated;

  KafkaServer(KafkaEndpoint endpoint, TestScope scope, boolean dedicated) {
    this.endpoint = endpoint;
    this.scope = scope;
    this.dedicated = dedicated;
  }

  /**
   * The value of a client's {@code bootstrap.servers}, for example {@code 127.0.0.1:40123}.
   *
   * @return the broker's {@code host:port} addresses, comma-separated
   */
  public String bootstrapServers() {
    return endpoint.bootstrapServers();
  }

  /**
   * @return the host of the (first) bootstrap address
   */
  public String host() {
    return endpoint.host();
  }

  /**
   * @return the port of the (first) bootstrap address
   */
  public int port() {
    return endpoint.port();
  }

  /**
   * @return how the broker was provided, for reports
   */
  public String description() {
    return endpoint.description();
  }

  /**
   * The settings every client of this broker needs: {@code bootstrap.servers}. The map is new and
   * modifiable, so a test adds its client's own settings and passes it to the client.
   *
   * @return a new map with {@code bootstrap.servers}
   */
  public Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", bootstrapServers());
    return config;
  }

  /**
   * A prefix for every topic (and consumer group) this class uses, unique to the class in this run,
   * so classes that share a broker never see each other's records. It is made of lower-case
   * letters, digits, underscores and hyphens (no periods, which Kafka's metric names confuse with
   * underscores).
   *
   * @return the prefix, ending in a hyphen
   */
  public String topicPrefix() {
    return "test-" + scope.uniqueName() + "-";
  }

  /**
   * A topic name unique to this class: {@link #topicPrefix()} followed by {@code name}. Also fine
   * as a consumer group id.
   *
   * @param name the rest of the name: letters, digits, {@code .}, {@code _} and {@code -}
   * @return the topic name
   * @throws IllegalArgumentException if {@code name} has other characters or the topic name would
   *     be longer than Kafka allows (249 characters)
   */
  public String topic(String name) {
    String prefix = topicPrefix();
    int maxLength = MAX_TOPIC_LENGTH - prefix.length();
    if (!TOPIC_CHARACTERS.matcher(name).matches() || name.length() > maxLength) {
      throw new IllegalArgumentException(
          "name: '"
              + name
              + "' must be 1 to "
              + maxLength
              + " letters, digits, '.', '_' or '-' (a topic name has at most "
              + MAX_TOPIC_LENGTH
              + " characters)");
    }
    return prefix + name;
  }

  /**
   * Controls the broker process: stop, kill, restart on the same ports with the same data.
   *
   * @return the control
   * @throws IllegalStateException unless the class declared {@code @WithKafka(dedicated = true)}
   */
  public ServerControl control() {
    return ProcessControl.of(endpoint.process(), dedicated, "@WithKafka");
  }

  @Override
  public String toString() {
    return "KafkaServer[" + description() + "]";
  }
}
