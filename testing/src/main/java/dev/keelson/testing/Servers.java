package dev.keelson.testing;

import dev.keelson.testing.internal.PostgresEndpoint;
import dev.keelson.testing.internal.SharedServers;
import io.lettuce.core.RedisURI;
import java.util.List;

/**
 * The JVM's shared servers for code that runs outside JUnit, such as benchmarks and demos: provided
 * the same way as for tests (explicit address, Docker, local process), started on first use and
 * stopped when the JVM exits.
 */
public final class Servers {

  private Servers() {}

  /**
   * @return the address of the shared Redis server
   */
  public static RedisURI redis() {
    return RedisURI.builder(SharedServers.redis().uri()).build();
  }

  /**
   * @return seed addresses of the shared three-master Redis Cluster
   */
  public static List<RedisURI> redisCluster() {
    return SharedServers.redisCluster().seeds();
  }

  /**
   * @return the {@code bootstrap.servers} of the shared Kafka broker
   */
  public static String kafka() {
    return SharedServers.kafka().bootstrapServers();
  }

  /**
   * A database on the shared PostgreSQL server, created if it does not exist yet. Unlike a test
   * class's database it is not dropped; a local server takes it along when it stops.
   *
   * @param name a database name: lower-case letters, digits and underscores
   * @return the database
   */
  public static PostgresDatabase postgres(String name) {
    if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException(
          "name: '" + name + "' is not a plain lower-case SQL identifier of at most 63 characters");
    }
    PostgresEndpoint endpoint = SharedServers.postgres();
    PostgresExtension.createDatabaseIfAbsent(endpoint, name);
    return new PostgresDatabase(endpoint, name, false);
  }
}
