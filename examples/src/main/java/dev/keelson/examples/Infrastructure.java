package dev.keelson.examples;

import dev.keelson.testing.Servers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * Redis and PostgreSQL for the demo. They come the way Keelson's tests get them: from {@code
 * KEELSON_REDIS_URI} and {@code KEELSON_POSTGRES_URL} when set, else Docker, else local server
 * processes started from Maven artifacts (stopped when the JVM exits). A real service would take a
 * pooled {@code DataSource} and a Lettuce connection from its configuration instead.
 */
final class Infrastructure implements AutoCloseable {

  final RedisClient redisClient;
  final StatefulRedisConnection<String, String> redis;
  final DataSource database;

  private Infrastructure(RedisClient redisClient, DataSource database) {
    this.redisClient = redisClient;
    this.redis = redisClient.connect(Servers.redis());
    this.database = database;
  }

  static Infrastructure start() {
    DataSource database = Servers.postgres("keelson_examples").dataSource();
    Infrastructure infrastructure = new Infrastructure(RedisClient.create(), database);
    infrastructure.createTables();
    return infrastructure;
  }

  /** The service's own tables; each Keelson module creates its own with createSchema(). */
  private void createTables() {
    try (Connection connection = database.getConnection();
        Statement ddl = connection.createStatement()) {
      ddl.execute(
          "CREATE TABLE IF NOT EXISTS payments (id uuid PRIMARY KEY, tenant text NOT NULL,"
              + " amount_cents bigint NOT NULL, created_at timestamptz NOT NULL DEFAULT now())");
      ddl.execute(
          "CREATE TABLE IF NOT EXISTS settlements (payment_id uuid PRIMARY KEY,"
              + " settled_by text NOT NULL, token bigint NOT NULL)");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the demo's tables: " + e.getMessage(), e);
    }
  }

  /** Empties the demo's tables and the modules' ones it uses: the report counts this run only. */
  void startFresh(String... moduleTables) {
    try (Connection connection = database.getConnection();
        Statement truncate = connection.createStatement()) {
      truncate.execute("TRUNCATE payments, settlements, " + String.join(", ", moduleTables));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot empty the demo's tables: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    redis.close();
    redisClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
