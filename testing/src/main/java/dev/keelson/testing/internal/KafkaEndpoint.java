package dev.keelson.testing.internal;

import org.jspecify.annotations.Nullable;

/**
 * A Kafka broker the tests can use, however it was provided.
 *
 * @param bootstrapServers its {@code host:port} addresses, comma-separated
 * @param description how it was provided, for the test report
 * @param process the local process, or null for an external broker or a container
 */
public record KafkaEndpoint(
    String bootstrapServers, String description, @Nullable ServerProcess process) {

  /** The host of the first bootstrap address. */
  public String host() {
    String first = first();
    String host = first.substring(0, first.lastIndexOf(':'));
    // An IPv6 literal is written [::1]:9092.
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** The port of the first bootstrap address. */
  public int port() {
    String first = first();
    return Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
  }

  private String first() {
    int comma = bootstrapServers.indexOf(',');
    return (comma < 0 ? bootstrapServers : bootstrapServers.substring(0, comma)).trim();
  }
}
