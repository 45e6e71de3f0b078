package dev.keelson.testing;

import dev.keelson.testing.internal.RedisEndpoint;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * A real Redis server as one test class sees it: its address, a key prefix no other class uses, and
 * clients that are closed when the class is done. Injected by {@link WithRedis}.
 */
public final class RedisServer {

  private final RedisEndpoint endpoint;
  private final TestScope scope;
  private final boolean dedicated;
  private @Nullable RedisClient client;

  RedisServer(RedisEndpoint endpoint, TestScope scope, boolean dedicated) {
    this.endpoint = endpoint;
    this.scope = scope;
    this.dedicated = dedicated;
  }

  /**
   * @return the server's address
   */
  public RedisURI uri() {
    return RedisURI.builder(endpoint.uri()).build();
  }

  /**
   * @return the server's host
   */
  public String host() {
    return endpoint.uri().getHost();
  }

  /**
   * @return the server's port
   */
  public int port() {
    return endpoint.uri().getPort();
  }

  /**
   * A prefix for every key this class writes, unique to the class in this run, so classes that
   * share a server never see each other's keys. It contains no hash-tag braces.
   *
   * @return the prefix, ending in a colon
   */
  public String keyPrefix() {
    return scope.keyPrefix();
  }

  /**
   * @return how the server was provided, for reports
   */
  public String description() {
    return endpoint.description();
  }

  /**
   * A client for this class, shut down when the class is done.
   *
   * @return the client
   */
  public synchronized RedisClient client() {
    if (client == null) {
      RedisClient created = RedisClient.create();
      scope.register(() -> created.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
      client = created;
    }
    return client;
  }

  /**
   * A new connection, closed when the class is done (closing it earlier is fine).
   *
   * @return the connection
   */
  public StatefulRedisConnection<String, String> connect() {
    return scope.register(client().connect(endpoint.uri()));
  }

  /**
   * Controls the server process: stop, kill, restart on the same port.
   *
   * @return the control
   * @throws IllegalStateException unless the class declared {@code @WithRedis(dedicated = true)}
   */
  public ServerControl control() {
    return ProcessControl.of(endpoint.process(), dedicated, "@WithRedis");
  }

  @Override
  public String toString() {
    return "RedisServer[" + description() + "]";
  }
}
