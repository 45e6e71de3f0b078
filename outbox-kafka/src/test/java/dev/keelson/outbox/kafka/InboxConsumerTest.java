package dev.keelson.outbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.outbox.Inbox;
import dev.keelson.outbox.OutboxMessage;
import dev.keelson.outbox.PublishResult;
import dev.keelson.testing.KafkaServer;
import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.WithKafka;
import dev.keelson.testing.WithPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * The README's idempotent consumer on a real broker and PostgreSQL: its effect and its inbox row
 * commit together, its offsets after them, so a consumer that dies before committing its offsets
 * (or loses its partitions to a rebalance) hands the records to the next one, which has no second
 * effect.
 */
@WithKafka
@WithPostgres
class InboxConsumerTest {

  private static final int MESSAGES = 30;

  private final KafkaServer kafka;
  private final PostgresDatabase database;
  private final Inbox inbox =
      Inbox.builder().table("inbox_" + UUID.randomUUID().toString().replace("-", "")).build();
  private final String ledger = "ledger_" + UUID.randomUUID().toString().replace("-", "");

  InboxConsumerTest(KafkaServer kafka, PostgresDatabase database) throws SQLException {
    this.kafka = kafka;
    this.database = database;
    inbox.createSchema(database.dataSource());
    try (Connection connection = database.connect();
        Statement ddl = connection.createStatement()) {
      ddl.execute("CREATE TABLE " + ledger + " (entry text NOT NULL)");
    }
  }

  @Test
  void recordsReadAgainAfterAConsumerDiesHaveNoSecondEffect() throws Exception {
    String topic = Topics.create(kafka, "billing");
    try (KafkaPublisher publisher = KafkaPublisher.on(kafka.clientConfig())) {
      List<OutboxMessage> batch = new ArrayList<>();
      for (int i = 0; i < MESSAGES; i++) {
        batch.add(OutboxMessage.of(topic, "account-" + i % 4, Topics.bytes("credit " + i)));
      }
      assertThat(
              publisher
                  .publish(batch, Duration.ofSeconds(20))
                  .toCompletableFuture()
                  .get(30, TimeUnit.SECONDS))
          .containsOnly(PublishResult.delivered());
    }
    String group = "billing-" + UUID.randomUUID();

    // The first consumer applies everything, then dies before it commits its offsets.
    try (KafkaConsumer<byte[], byte[]> first = Topics.consumer(kafka, group)) {
      first.subscribe(List.of(topic));
      assertThat(consume(first, MESSAGES)).as("applied by the first consumer").isEqualTo(MESSAGES);
    }
    // The next one of the group gets the same records again, and commits its offsets this time.
    try (KafkaConsumer<byte[], byte[]> next = Topics.consumer(kafka, group)) {
      next.subscribe(List.of(topic));
      assertThat(consume(next, MESSAGES)).as("applied again").isZero();
      next.commitSync();
    }

    assertThat(entries()).as("one effect per message").isEqualTo(MESSAGES);
  }

  /**
   * Reads {@code count} records, each applied in one transaction with its inbox row: the effect and
   * the record commit together, and only then would the offsets be committed.
   *
   * @return how many had an effect
   */
  private int consume(KafkaConsumer<byte[], byte[]> consumer, int count) throws SQLException {
    int read = 0;
    int applied = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      while (read < count && System.nanoTime() - deadline < 0) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          read++;
          String id = Topics.header(record, KafkaPublisher.ID_HEADER);
          if (inbox.process(connection, "billing", id, tx -> credit(tx, record))) {
            applied++;
          }
          connection.commit();
        }
      }
    }
    assertThat(read).as("records read").isEqualTo(count);
    return applied;
  }

  private void credit(Connection connection, ConsumerRecord<byte[], byte[]> record)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO " + ledger + " (entry) VALUES (?)")) {
      insert.setString(1, Topics.text(record.value()));
      insert.executeUpdate();
    }
  }

  private int entries() throws SQLException {
    try (Connection connection = database.connect();
        Statement count = connection.createStatement();
        ResultSet row = count.executeQuery("SELECT count(*) FROM " + ledger)) {
      row.next();
      return row.getInt(1);
    }
  }
}
