package dev.keelson.outbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.outbox.Outbox;
import dev.keelson.outbox.OutboxMessage;
import dev.keelson.outbox.OutboxRelay;
import dev.keelson.outbox.PublishResult;
import dev.keelson.testing.KafkaServer;
import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.WithKafka;
import dev.keelson.testing.WithPostgres;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The publisher on a real broker: what lands on the topic, and what becomes of what cannot. */
@WithKafka
@WithPostgres
class KafkaPublisherTest {

  private static final Duration DEADLINE = Duration.ofSeconds(20);

  private final KafkaServer kafka;
  private final PostgresDatabase database;
  private final String topic;

  KafkaPublisherTest(KafkaServer kafka, PostgresDatabase database) throws Exception {
    this.kafka = kafka;
    this.database = database;
    this.topic = Topics.create(kafka, "orders");
  }

  @Test
  void everyMessageLandsWithItsKeyHeadersAndIdAndAKeysOrderHolds() throws Exception {
    List<OutboxMessage> sent = new ArrayList<>();
    try (KafkaPublisher publisher = KafkaPublisher.on(kafka.clientConfig())) {
      for (int round = 0; round < 5; round++) {
        List<OutboxMessage> batch = new ArrayList<>();
        for (String key : List.of("order-a", "order-b", "order-c")) {
          batch.add(message(key, key + " step " + round).withHeader("type", "step-" + round));
        }
        assertThat(results(publisher, batch)).containsOnly(PublishResult.delivered());
        sent.addAll(batch);
      }
    }

    List<ConsumerRecord<byte[], byte[]>> received = consume(topic, sent.size());
    Map<String, List<String>> byKey = new LinkedHashMap<>();
    for (ConsumerRecord<byte[], byte[]> record : received) {
      String key = text(record.key());
      byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(text(record.value()));
      OutboxMessage original =
          sent.stream()
              .filter(m -> m.id().toString().equals(header(record, "keelson-id")))
              .findFirst()
              .orElseThrow();
      assertThat(original.key()).isEqualTo(key);
      assertThat(header(record, "type")).isEqualTo(original.headers().get("type"));
    }
    assertThat(byKey.get("order-a"))
        .containsExactly(
            "order-a step 0",
            "order-a step 1",
            "order-a step 2",
            "order-a step 3",
            "order-a step 4");
    assertThat(byKey.get("order-c")).hasSize(5).last().isEqualTo("order-c step 4");
  }

  @Test
  void aRecordTooLargeIsDeadWithTheClientsMessageAndTheRestOfTheBatchIsDelivered()
      throws Exception {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put("max.request.size", 10_000);
    try (KafkaPublisher publisher = KafkaPublisher.on(config)) {
      List<PublishResult> results =
          results(
              publisher,
              List.of(
                  message("small-1", "fits"),
                  OutboxMessage.of(topic, "big", new byte[20_000]),
                  message("small-2", "fits too")));

      assertThat(results.get(0)).isEqualTo(PublishResult.delivered());
      assertThat(results.get(1))
          .isInstanceOfSatisfying(
              PublishResult.Reject.class,
              reject -> assertThat(reject.error()).startsWith("RecordTooLargeException"));
      assertThat(results.get(2)).isEqualTo(PublishResult.delivered());
    }
  }

  @Test
  void aTopicKafkaCannotHaveIsDeadAndAMappingThatFailsToo() throws Exception {
    try (KafkaPublisher invalid =
            KafkaPublisher.builder(kafka.clientConfig()).topic(m -> "not a topic!").build();
        KafkaPublisher failing =
            KafkaPublisher.builder(kafka.clientConfig())
                .topic(
                    m -> {
                      throw new IllegalStateException("no route for " + m.topic());
                    })
                .build()) {
      assertThat(results(invalid, List.of(message("k", "x"))).get(0))
          .isInstanceOfSatisfying(
              PublishResult.Reject.class,
              reject -> assertThat(reject.error()).startsWith("InvalidTopicException"));
      assertThat(results(failing, List.of(message("k", "x"))).get(0))
          .isInstanceOfSatisfying(
              PublishResult.Reject.class,
              reject -> assertThat(reject.error()).contains("no route for"));
    }
  }

  @Test
  void aBatchNoBrokerAcknowledgesByTheDeadlineIsRetried() throws Exception {
    try (KafkaPublisher nowhere = KafkaPublisher.on(Map.of("bootstrap.servers", "127.0.0.1:9"))) {
      List<PublishResult> results =
          nowhere
              .publish(List.of(message("k", "x")), Duration.ofMillis(300))
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);

      assertThat(results.get(0))
          .isInstanceOfSatisfying(
              PublishResult.Retry.class, retry -> assertThat(retry.error()).contains("deadline"));
    }
  }

  @Test
  void aTopicPrefixAndTheRelayPutEveryCommittedMessageOnTheTopic() throws Exception {
    Outbox outbox =
        Outbox.builder().table("outbox_" + UUID.randomUUID().toString().replace("-", "")).build();
    outbox.createSchema(database.dataSource());
    String prefix = topic.substring(0, topic.indexOf("orders-") + "orders-".length());
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      for (int i = 0; i < 10; i++) {
        outbox.append(
            connection,
            OutboxMessage.of(
                topic.substring(prefix.length()), "key-" + i % 3, bytes("event " + i)));
      }
      connection.commit();
    }
    try (KafkaPublisher publisher =
            KafkaPublisher.builder(kafka.clientConfig()).topicPrefix(prefix).build();
        OutboxRelay relay =
            OutboxRelay.builder(database.dataSource(), outbox, publisher)
                .pollInterval(Duration.ofMillis(50))
                .build()) {
      relay.start();
      List<ConsumerRecord<byte[], byte[]>> received = consume(topic, 10);

      Map<String, List<String>> byKey = new LinkedHashMap<>();
      received.forEach(
          record ->
              byKey
                  .computeIfAbsent(text(record.key()), k -> new ArrayList<>())
                  .add(text(record.value())));
      assertThat(byKey.get("key-0")).containsExactly("event 0", "event 3", "event 6", "event 9");
      assertThat(byKey.get("key-1")).containsExactly("event 1", "event 4", "event 7");
    }
  }

  private static List<PublishResult> results(KafkaPublisher publisher, List<OutboxMessage> batch)
      throws Exception {
    return publisher.publish(batch, DEADLINE).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private OutboxMessage message(String key, String payload) {
    return OutboxMessage.of(topic, key, bytes(payload));
  }

  private List<ConsumerRecord<byte[], byte[]>> consume(String from, int count) {
    return Topics.read(kafka, from, count);
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    return Topics.header(record, name);
  }

  private static String text(byte[] bytes) {
    return Topics.text(bytes);
  }

  private static byte[] bytes(String text) {
    return Topics.bytes(text);
  }
}
