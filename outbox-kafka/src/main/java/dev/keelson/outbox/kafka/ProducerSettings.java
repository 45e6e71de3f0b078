package dev.keelson.outbox.kafka;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producer settings a {@link KafkaPublisher} runs with: the user's, checked against what the
 * outbox's promises rest on (an idempotent producer, every write acknowledged by all in-sync
 * replicas, the message's bytes sent as they are), with defaults that fit the relay's deadlines.
 */
final class ProducerSettings {

  /**
   * How long a send may wait for metadata or buffer space (the producer's default is 60 s): a batch
   * must be answered within the relay's deadline, eight tenths of its claim time (30 s by default).
   */
  static final int MAX_BLOCK_MS = 5_000;

  /** How long a record may take to be acknowledged, retries included (the default is 2 minutes). */
  static final int DELIVERY_TIMEOUT_MS = 20_000;

  /**
   * Must leave the delivery timeout room for a retry (the producer's check: at least linger +
   * this).
   */
  static final int REQUEST_TIMEOUT_MS = 10_000;

  private static final Set<String> ACKS_ALL = Set.of("all", "-1");

  private ProducerSettings() {}

  /**
   * @param config the user's producer configuration
   * @return the configuration to build the producer with
   * @throws IllegalArgumentException if a setting breaks a promise of the outbox, or a required one
   *     is missing
   */
  static Map<String, Object> of(Map<String, ?> config) {
    Objects.requireNonNull(config, "config");
    Map<String, Object> settings = new LinkedHashMap<>();
    config.forEach(
        (key, value) -> settings.put(Objects.requireNonNull(key, "a setting's name"), value));
    if (text(settings, ProducerConfig.BOOTSTRAP_SERVERS_CONFIG).isBlank()) {
      throw new IllegalArgumentException(
          "producer config: bootstrap.servers is required (host:port of one broker or more)");
    }
    require(
        settings,
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
        Set.of("true"),
        "the idempotent producer keeps a key's order and writes no duplicate when it retries");
    require(
        settings,
        ProducerConfig.ACKS_CONFIG,
        ACKS_ALL,
        "a message is recorded published only once every in-sync replica has it");
    if ("true"
        .equalsIgnoreCase(text(settings, ProducerConfig.PARTITIONER_IGNORE_KEYS_CONFIG).trim())) {
      throw new IllegalArgumentException(
          "partitioner.ignore.keys: must be false (a key's messages keep their order only on one"
              + " partition, which the key chooses), not true");
    }
    if (settings.containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
      throw new IllegalArgumentException(
          "transactional.id: the publisher does not use transactions (the outbox row is the"
              + " transaction); leave it unset");
    }
    for (String serializer :
        new String[] {
          ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG
        }) {
      Object given = settings.get(serializer);
      if (given != null && !isByteArraySerializer(given)) {
        throw new IllegalArgumentException(
            serializer
                + ": must be ByteArraySerializer (the publisher sends the message's key and"
                + " payload bytes as they are), not "
                + given);
      }
    }
    settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    settings.put(ProducerConfig.ACKS_CONFIG, "all");
    settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    settings.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
    settings.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS);
    settings.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_TIMEOUT_MS);
    return settings;
  }

  /**
   * @param producer the producer's settings
   * @return the ones an admin client takes too (where the brokers are, how to reach them)
   */
  static Map<String, Object> forAdmin(Map<String, Object> producer) {
    Map<String, Object> admin = new LinkedHashMap<>();
    Set<String> known = AdminClientConfig.configNames();
    producer.forEach(
        (key, value) -> {
          if (known.contains(key)) {
            admin.put(key, value);
          }
        });
    return admin;
  }

  private static void require(
      Map<String, Object> settings, String name, Set<String> allowed, String why) {
    Object given = settings.get(name);
    if (given != null && !allowed.contains(String.valueOf(given).trim().toLowerCase(Locale.ROOT))) {
      throw new IllegalArgumentException(
          name + ": must be " + String.join(" or ", allowed) + " (" + why + "), not " + given);
    }
  }

  private static String text(Map<String, Object> settings, String name) {
    Object value = settings.get(name);
    return value == null ? "" : String.valueOf(value);
  }

  private static boolean isByteArraySerializer(Object given) {
    return given == ByteArraySerializer.class
        || given instanceof ByteArraySerializer
        || ByteArraySerializer.class.getName().equals(String.valueOf(given));
  }
}
