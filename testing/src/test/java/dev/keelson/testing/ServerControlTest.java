package dev.keelson.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.ConnectException;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
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

  @Nested
  @WithKafka(dedicated = true)
  class DedicatedKafka {

    @Test
    void anAcknowledgedRecordSurvivesAKillAndTheSameAddressTakesNewOnes(KafkaServer kafka)
        throws Exception {
      String topic = kafka.topic("durable");
      KafkaRecords.createTopic(kafka, topic);
      String address = kafka.bootstrapServers();
      try (KafkaProducer<String, String> producer = KafkaRecords.producer(kafka)) {
        KafkaRecords.send(producer, topic, "before");

        kafka.control().kill();
        assertThat(kafka.control().isRunning()).isFalse();
        assertThatThrownBy(() -> new Socket(kafka.host(), kafka.port()).close())
            .isInstanceOf(ConnectException.class);

        kafka.control().start();
        assertThat(kafka.bootstrapServers()).isEqualTo(address);
        // The same producer reconnects by itself to the same address.
        assertThat(KafkaRecords.send(producer, topic, "after").offset()).isEqualTo(1);
      }
      assertThat(KafkaRecords.read(kafka, topic, kafka.topic("after-kill"), 2))
          .containsExactly("before", "after");
    }

    @Test
    void aGracefulStopAndStartKeepsRecordsAndCommittedOffsets(KafkaServer kafka) throws Exception {
      String topic = kafka.topic("stopped");
      String group = kafka.topic("stopped-readers");
      KafkaRecords.createTopic(kafka, topic);
      try (KafkaProducer<String, String> producer = KafkaRecords.producer(kafka)) {
        KafkaRecords.send(producer, topic, "one");
      }
      assertThat(KafkaRecords.read(kafka, topic, group, 1)).containsExactly("one");

      kafka.control().stop();
      assertThat(kafka.control().isRunning()).isFalse();
      kafka.control().start();

      try (KafkaProducer<String, String> producer = KafkaRecords.producer(kafka)) {
        KafkaRecords.send(producer, topic, "two");
      }
      // The group resumes after its committed offset: only the new record comes.
      assertThat(KafkaRecords.read(kafka, topic, group, 1)).containsExactly("two");
    }
  }
}
