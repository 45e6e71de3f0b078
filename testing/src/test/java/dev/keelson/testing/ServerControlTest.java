package dev.keelson.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ServerControlTest {

  @Nested
  @WithRedis(appendOnly = true)
  class RedisWithAppendOnlyFile {

    @Test
    void dataSurvivesAKillAndARestartOnTheSamePort(RedisServer redis) {
      String key = redis.keyPrefix() + "durable";
      try (StatefulRedisConnection<String, String> before = redis.client().connect(redis.uri())) {
        before.sync().set(key, "kept");
      }

      redis.control().kill();
      assertThat(redis.control().isRunning()).isFalse();
      assertThatThrownBy(() -> redis.client().connect(redis.uri()))
          .isInstanceOf(RedisConnectionException.class);

      redis.control().start();
      try (StatefulRedisConnection<String, String> after = redis.client().connect(redis.uri())) {
        assertThat(after.sync().get(key)).isEqualTo("kept");
      }
    }

    @Test
    void aGracefulRestartKeepsDataToo(RedisServer redis) {
      String key = redis.keyPrefix() + "restarted";
      StatefulRedisConnection<String, String> connection = redis.connect();
      connection.sync().set(key, "kept");

      redis.control().restart();

      // The same connection reconnects by itself to the same port.
      assertThat(connection.sync().get(key)).isEqualTo("kept");
    }
  }

  @Nested
  @WithPostgres(dedicated = true)
  class DedicatedPostgres {

    @Test
    void committedRowsSurviveAKillAndTheServerNeverRunsAsRoot(PostgresDatabase database)
        throws SQLException {
      try (Connection connection = database.connect();
          Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE survivor (id int PRIMARY KEY)");
        statement.execute("INSERT INTO survivor VALUES (42)");
        long backend =
            Long.parseLong(PostgresExtensionTest.queryString(statement, "SELECT pg_backend_pid()"));
        Optional<String> owner = ProcessHandle.of(backend).flatMap(p -> p.info().user());
        assertThat(owner).as("user of the server process").isPresent();
        assertThat(owner.get()).isNotEqualTo("root");
      }

      database.control().kill();
      assertThat(database.control().isRunning()).isFalse();
      assertThatThrownBy(database::connect).isInstanceOf(SQLException.class);

      database.control().start();
      try (Connection connection = database.connect();
          Statement statement = connection.createStatement()) {
        assertThat(PostgresExtensionTest.queryString(statement, "SELECT id FROM survivor"))
            .isEqualTo("42");
      }
    }
  }

  @Nested
  @WithRedisCluster(dedicated = true)
  class DedicatedCluster {

    @Test
    void aKilledNodeRejoinsWithItsData(RedisClusterServer cluster) {
      String key = "{" + cluster.keyPrefix() + "node}";
      cluster.connect().sync().set(key, "kept");

      for (int node = 0; node < 3; node++) {
        cluster.node(node).kill();
        cluster.node(node).start();
      }
      cluster.awaitHealthy();

      assertThat(cluster.connect().sync().get(key)).isEqualTo("kept");
      assertThatThrownBy(() -> cluster.node(3)).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
