package dev.keelson.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Real clients of a test broker: topics, an idempotent producer, and a consumer group. */
final class KafkaRecords {

  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private KafkaRecords() {}

  /** Creates a topic of one partition, so no producer has to wait for automatic creation. */
  static void createTopic(KafkaServer kafka, String topic) throws Exception {
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      admin
          .createTopics(List.of(new NewTopic(topic, 1, (short) 1)))
          .all()
          .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /** An idempotent producer that waits for every replica in sync (acks=all). */
  static KafkaProducer<String, String> producer(KafkaServer kafka) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) PATIENCE.toMillis());
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) PATIENCE.toMillis());
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  /** Sends a record and waits until the broker has acknowledged it. */
  static RecordMetadata send(KafkaProducer<String, String> producer, String topic, String value)
      throws Exception {
    return producer
        .send(new ProducerRecord<>(topic, value, value))
        .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
  }

  /**
   * Reads a topic from its start in a consumer group until {@code expected} records came, and
   * commits what it read.
   */
  static List<String> read(KafkaServer kafka, String topic, String group, int expected) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + PATIENCE.toNanos();
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
      consumer.commitSync();
    }
    assertThat(values).as("records read from %s", topic).hasSize(expected);
    return values;
  }
}
