package dev.keelson.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/** The facade for code outside JUnit serves the same shared servers. */
class ServersTest {

  @Test
  void givesTheSharedRedis() {
    RedisClient client = RedisClient.create();
    try (StatefulRedisConnection<String, String> connection = client.connect(Servers.redis())) {
      assertThat(connection.sync().ping()).isEqualTo("PONG");
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    assertThat(Servers.redisCluster()).isNotEmpty();
  }

  @Test
  void givesTheSharedKafka() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", Servers.kafka()))) {
      assertThat(admin.describeCluster().nodes().get(30, TimeUnit.SECONDS)).isNotEmpty();
    }
  }

  @Test
  void createsAPostgresDatabaseOnceAndReusesIt() throws SQLException {
    PostgresDatabase first = Servers.postgres("servers_test");
    try (Connection connection = first.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE marker (id int)");
    }

    PostgresDatabase again = Servers.postgres("servers_test");
    try (Connection connection = again.connect();
        Statement statement = connection.createStatement()) {
      assertThat(PostgresExtensionTest.queryString(statement, "SELECT count(*) FROM marker"))
          .isEqualTo("0");
    }
  }

  @Test
  void rejectsANameThatIsNotAPlainIdentifier() {
    assertThatThrownBy(() -> Servers.postgres("bad-name; DROP"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name");
  }
}
