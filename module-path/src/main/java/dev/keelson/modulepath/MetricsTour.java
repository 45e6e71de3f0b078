package dev.keelson.modulepath;

import dev.keelson.micrometer.RetryMetrics;
import dev.keelson.outbox.kafka.KafkaPublisher;
import dev.keelson.retry.Retry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The integration modules used from a named module: micrometer-core and kafka-clients are automatic
 * modules there.
 */
public final class MetricsTour {

  private MetricsTour() {}

  /**
   * @return the successful calls the binder counted for one call that failed once
   * @throws Exception if the retry gave up
   */
  public static double retriedOnceAndCounted() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicInteger attempts = new AtomicInteger();
    Retry.builder()
        .name("tour")
        .listener(RetryMetrics.on(registry))
        .build()
        .call(
            () -> {
              if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("the first attempt fails");
              }
              return "ok";
            });
    return registry
        .get("keelson.retry.calls")
        .tags("name", "tour", "outcome", "success")
        .counter()
        .count();
  }

  /**
   * @return the Kafka publisher's refusal of a producer that does not wait for every replica
   */
  public static String kafkaRefusal() {
    try {
      KafkaPublisher.builder(Map.of("bootstrap.servers", "127.0.0.1:9", "acks", "1"));
      return "accepted";
    } catch (IllegalArgumentException e) {
      return String.valueOf(e.getMessage());
    }
  }
}
