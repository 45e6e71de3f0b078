package dev.keelson.outbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.outbox.Outbox;
import dev.keelson.outbox.OutboxMessage;
import dev.keelson.outbox.OutboxRelay;
import dev.keelson.retry.Backoff;
import dev.keelson.testing.KafkaServer;
import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.ServerTime;
import dev.keelson.testing.WithKafka;
import dev.keelson.testing.WithPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three relays publish to a broker that is killed ({@code kill -9}) mid-stream and started again:
 * every committed message lands on the topic, none of the rolled-back ones, and each key's messages
 * first appear in the order they were appended.
 */
@WithKafka(dedicated = true)
@WithPostgres
class KafkaBrokerKilledTest {

  private static final Logger log = LoggerFactory.getLogger(KafkaBrokerKilledTest.class);
  private static final int KEYS = 20;
  private static final int PER_KEY = 15;

  private final KafkaServer kafka;
  private final PostgresDatabase database;
  private final Outbox outbox =
      Outbox.builder().table("outbox_" + UUID.randomUUID().toString().replace("-", "")).build();

  KafkaBrokerKilledTest(KafkaServer kafka, PostgresDatabase database) {
    this.kafka = kafka;
    this.database = database;
    outbox.createSchema(database.dataSource());
  }

  @Test
  void aBrokerKilledMidStreamLosesNoCommittedMessageAndBreaksNoKeysOrder() throws Exception {
    String topic = Topics.create(kafka, "payments");
    List<OutboxRelay> relays = new ArrayList<>();
    List<KafkaPublisher> publishers = new ArrayList<>();
    Set<String> committed = new HashSet<>();
    try {
      for (int i = 0; i < 3; i++) {
        KafkaPublisher publisher = KafkaPublisher.on(kafka.clientConfig());
        publishers.add(publisher);
        OutboxRelay relay =
            OutboxRelay.builder(database.dataSource(), outbox, publisher)
                .name("relay-" + i)
                .batchSize(10)
                .claimTime(Duration.ofSeconds(10))
                .backoff(Backoff.fixed(Duration.ofMillis(200)))
                .maxAttempts(1000)
                .pollInterval(Duration.ofMillis(50))
                .build();
        relays.add(relay);
        relay.start();
      }
      for (int round = 0; round < PER_KEY; round++) {
        committed.addAll(append(topic, round, true));
        append(topic, round, false); // rolled back: must never be published
        if (round == PER_KEY / 3) {
          kafka.control().kill(); // mid-stream: batches in flight, others waiting
        }
        if (round == PER_KEY / 2) {
          kafka.control().start();
        }
      }
      awaitNothingPending(relays.get(0));
    } finally {
      relays.forEach(OutboxRelay::close);
      publishers.forEach(KafkaPublisher::close);
    }

    List<ConsumerRecord<byte[], byte[]>> received =
        Topics.read(
            kafka, topic, records -> ids(records).containsAll(committed) || records.size() > 2000);
    Set<String> ids = ids(received);
    long rolledBack =
        received.stream().filter(r -> Topics.text(r.value()).startsWith("rolled back")).count();
    Map<String, List<Integer>> firstSeen = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> record : received) {
      if (seen.add(Topics.header(record, KafkaPublisher.ID_HEADER))) {
        firstSeen
            .computeIfAbsent(Topics.text(record.key()), k -> new ArrayList<>())
            .add(Integer.parseInt(Topics.text(record.value()).substring("step ".length())));
      }
    }
    int orderViolations = 0;
    for (List<Integer> steps : firstSeen.values()) {
      for (int i = 1; i < steps.size(); i++) {
        if (steps.get(i) < steps.get(i - 1)) {
          orderViolations++;
        }
      }
    }
    log.info(
        "committed {}, on the topic {} distinct of {} records ({} duplicates), rolled back {},"
            + " order violations {}",
        committed.size(),
        ids.size(),
        received.size(),
        received.size() - ids.size(),
        rolledBack,
        orderViolations);

    assertThat(ids).as("every committed message is on the topic").containsAll(committed);
    assertThat(ids).as("and nothing else").hasSameSizeAs(committed);
    assertThat(rolledBack).as("no rolled-back message").isZero();
    assertThat(orderViolations).as("each key's messages first appear in order").isZero();
    assertThat(firstSeen).hasSize(KEYS);
    firstSeen.values().forEach(steps -> assertThat(steps).hasSize(PER_KEY));
  }

  /** One message per key, committed or rolled back; the ids of those committed. */
  private List<String> append(String topic, int round, boolean commit) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      List<OutboxMessage> messages = new ArrayList<>();
      for (int key = 0; key < KEYS; key++) {
        String payload = (commit ? "step " : "rolled back ") + round;
        messages.add(OutboxMessage.of(topic, "key-" + key, Topics.bytes(payload)));
      }
      outbox.appendAll(connection, messages);
      if (commit) {
        connection.commit();
        messages.forEach(m -> ids.add(m.id().toString()));
      } else {
        connection.rollback();
      }
    }
    return ids;
  }

  private static void awaitNothingPending(OutboxRelay relay) {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (relay.backlog().pending() > 0) {
      assertThat(System.nanoTime() - deadline).as("all published within 2 minutes").isNegative();
      ServerTime.letPass(Duration.ofMillis(100));
    }
  }

  private static Set<String> ids(List<ConsumerRecord<byte[], byte[]>> records) {
    Set<String> ids = new HashSet<>();
    records.forEach(r -> ids.add(Topics.header(r, KafkaPublisher.ID_HEADER)));
    return ids;
  }
}
