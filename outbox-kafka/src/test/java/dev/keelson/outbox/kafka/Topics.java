package dev.keelson.outbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.testing.KafkaServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** A test's topics on a real broker, and what landed on them. */
final class Topics {

  private Topics() {}

  /** Creates a topic of three partitions, so keys spread and each keeps to one. */
  static String create(KafkaServer kafka, String name) throws Exception {
    String topic = kafka.topic(name + "-" + UUID.randomUUID());
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      admin
          .createTopics(List.of(new NewTopic(topic, 3, (short) 1)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
    return topic;
  }

  /** A consumer of its own group, from the start of the topic. */
  static KafkaConsumer<byte[], byte[]> consumer(KafkaServer kafka, String group) {
    Map<String, Object> config = new HashMap<>(kafka.clientConfig());
    config.put("group.id", group);
    config.put("auto.offset.reset", "earliest");
    config.put("enable.auto.commit", "false");
    config.put("key.deserializer", ByteArrayDeserializer.class);
    config.put("value.deserializer", ByteArrayDeserializer.class);
    return new KafkaConsumer<>(config);
  }

  /** Every record on the topic once {@code enough} says so, within 60 s. */
  static List<ConsumerRecord<byte[], byte[]>> read(
      KafkaServer kafka, String topic, Predicate<List<ConsumerRecord<byte[], byte[]>>> enough) {
    List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka, "test-" + UUID.randomUUID())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!enough.test(received) && System.nanoTime() - deadline < 0) {
        consumer.poll(Duration.ofMillis(200)).forEach(received::add);
      }
    }
    assertThat(enough.test(received)).as(received.size() + " records on " + topic).isTrue();
    return received;
  }

  /** Exactly {@code count} records, within 60 s. */
  static List<ConsumerRecord<byte[], byte[]>> read(KafkaServer kafka, String topic, int count) {
    List<ConsumerRecord<byte[], byte[]>> received = read(kafka, topic, r -> r.size() >= count);
    assertThat(received).hasSize(count);
    return received;
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    assertThat(header).as("header " + name).isNotNull();
    return text(header.value());
  }

  static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
