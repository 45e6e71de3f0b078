package dev.keelson.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Function;

/**
 * The builder of a binder that has no settings of its own beyond the shared ones ({@link
 * MetricsBuilder}): {@link RetryMetrics}, {@link RateLimitMetrics}, {@link IdempotencyMetrics}.
 *
 * @param <M> the binder it builds
 */
public final class BinderBuilder<M> extends MetricsBuilder<BinderBuilder<M>> {

  private final Function<Meters, M> binder;

  BinderBuilder(MeterRegistry registry, Function<Meters, M> binder) {
    super(registry);
    this.binder = binder;
  }

  @Override
  BinderBuilder<M> self() {
    return this;
  }

  /**
   * @return the binder
   */
  public M build() {
    return binder.apply(meters());
  }
}
