package dev.keelson.outbox.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** What the publisher refuses before it builds a producer, and the settings it runs with. */
class KafkaPublisherSettingsTest {

  private static Map<String, Object> with(String key, Object value) {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", "127.0.0.1:9");
    config.put(key, value);
    return config;
  }

  @Test
  void settingsThatBreakTheOutboxsPromisesAreRefusedWithTheirReason() {
    assertThatThrownBy(() -> KafkaPublisher.builder(with("enable.idempotence", "false")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("enable.idempotence: must be true")
        .hasMessageEndingWith("not false");
    assertThatThrownBy(() -> KafkaPublisher.builder(with("acks", "1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("acks: must be")
        .hasMessageContaining("every in-sync replica");
    assertThatThrownBy(() -> KafkaPublisher.builder(with("transactional.id", "outbox")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("transactional.id:");
    assertThatThrownBy(
            () -> KafkaPublisher.builder(with("value.serializer", StringSerializer.class)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("value.serializer: must be ByteArraySerializer");
    assertThatThrownBy(() -> KafkaPublisher.builder(Map.of("acks", "all")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bootstrap.servers is required");
    assertThatThrownBy(() -> KafkaPublisher.builder(with("compression.type", "zip")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the Kafka producer refused its settings");
  }

  @Test
  void theSafeSettingsAreAcceptedInAnySpellingAndTheDefaultsFitTheRelaysDeadline() {
    Map<String, Object> settings = ProducerSettings.of(with("acks", "-1"));
    assertThat(ProducerSettings.of(with("enable.idempotence", "TRUE"))).isNotNull();
    assertThat(ProducerSettings.of(with("value.serializer", ByteArraySerializer.class)))
        .isNotNull();

    assertThat(settings)
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", "true")
        .containsEntry("max.block.ms", ProducerSettings.MAX_BLOCK_MS)
        .containsEntry("delivery.timeout.ms", ProducerSettings.DELIVERY_TIMEOUT_MS);
    assertThat(ProducerSettings.of(with("max.block.ms", 1000))).containsEntry("max.block.ms", 1000);
  }

  @Test
  void theBuildersOwnSettingsAreChecked() {
    KafkaPublisher.Builder builder = KafkaPublisher.builder(with("acks", "all"));
    assertThatThrownBy(() -> builder.topicPrefix(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("topicPrefix");
    assertThatThrownBy(() -> builder.idHeader(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("idHeader");
    assertThatThrownBy(() -> builder.topic(null)).isInstanceOf(NullPointerException.class);
  }
}
