package dev.keelson.examples;

import dev.keelson.micrometer.Health;
import dev.keelson.micrometer.IdempotencyMetrics;
import dev.keelson.micrometer.LeasingMetrics;
import dev.keelson.micrometer.OutboxMetrics;
import dev.keelson.micrometer.RateLimitMetrics;
import dev.keelson.micrometer.RetryMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;

/**
 * The service's meters: one registry, one binder per module, each given to its components as (or
 * combined with) their listener. A real service takes its registry from its framework (Spring
 * Boot's, a {@code PrometheusMeterRegistry} scraped at {@code /metrics}); the demo reads its own.
 */
final class Metrics {

  final MeterRegistry registry = new SimpleMeterRegistry();
  final RetryMetrics retry = RetryMetrics.builder(registry).tags("service", "payments").build();
  final RateLimitMetrics limits =
      RateLimitMetrics.builder(registry).tags("service", "payments").build();
  final IdempotencyMetrics idempotency =
      IdempotencyMetrics.builder(registry).tags("service", "payments").build();
  final OutboxMetrics outbox = OutboxMetrics.builder(registry).tags("service", "payments").build();
  final LeasingMetrics leasing =
      LeasingMetrics.builder(registry).tags("service", "payments").build();

  /** Every component that has a health of its own: the limiter, the relay. */
  List<Health> health() {
    List<Health> all = new ArrayList<>(limits.health());
    all.addAll(outbox.health());
    all.addAll(leasing.health());
    return all;
  }

  /**
   * @return the sum of a counter's series with these tags (all outcomes or sources not given)
   */
  long count(String meter, String... tags) {
    return (long)
        registry.find(meter).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
  }
}
