package dev.keelson.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@WithKafka
class KafkaExtensionTest {

  private static String outerPrefix = "";
  private static String outerBootstrap = "";

  @BeforeAll
  static void rememberTheOuterView(KafkaServer kafka) {
    outerPrefix = kafka.topicPrefix();
    outerBootstrap = kafka.bootstrapServers();
  }

  @Test
  void anIdempotentProducersRecordIsConsumedBack(KafkaServer kafka) throws Exception {
    String topic = kafka.topic("greetings");
    KafkaRecords.createTopic(kafka, topic);

    try (KafkaProducer<String, String> producer = KafkaRecords.producer(kafka)) {
      RecordMetadata first = KafkaRecords.send(producer, topic, "hello");
      RecordMetadata second = KafkaRecords.send(producer, topic, "again");

      assertThat(first.offset()).isZero();
      assertThat(second.offset()).isEqualTo(1);
    }
    assertThat(KafkaRecords.read(kafka, topic, kafka.topic("readers"), 2))
        .containsExactly("hello", "again");
  }

  @Test
  void describesTheBrokerAndItsAddress(KafkaServer kafka) {
    assertThat(kafka.bootstrapServers()).startsWith(kafka.host() + ":" + kafka.port());
    assertThat(kafka.clientConfig())
        .containsOnlyKeys("bootstrap.servers")
        .containsEntry("bootstrap.servers", kafka.bootstrapServers());
    assertThat(kafka.description()).isNotBlank();
  }

  @Test
  void topicNamesBelongToTheClass(KafkaServer kafka) {
    assertThat(kafka.topicPrefix()).startsWith("test-kafkaextensiontest_").endsWith("-");
    assertThat(kafka.topic("orders.v1")).isEqualTo(kafka.topicPrefix() + "orders.v1");
    assertThatThrownBy(() -> kafka.topic("no spaces"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name: 'no spaces'");
    assertThatThrownBy(() -> kafka.topic(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("name: ''");
    assertThatThrownBy(() -> kafka.topic("x".repeat(249)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("249");
  }

  @Test
  void aSharedBrokerCannotBeControlled(KafkaServer kafka) {
    assertThatThrownBy(kafka::control)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("@WithKafka(dedicated = true)");
  }

  @Nested
  class ANestedClass {

    @Test
    void getsItsOwnTopicsOnTheSameBroker(KafkaServer kafka) {
      assertThat(kafka.topicPrefix()).isNotEqualTo(outerPrefix).contains("anestedclass_");
      assertThat(kafka.bootstrapServers()).isEqualTo(outerBootstrap);
    }
  }
}
