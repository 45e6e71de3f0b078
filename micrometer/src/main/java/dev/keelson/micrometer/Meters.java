package dev.keelson.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Registers a binder's meters: its user's tags first, then the component's {@code name} and
 * Keelson's own tags, so every meter of one name has the same tag keys.
 */
final class Meters {

  static final String NAME = "name";
  static final String OUTCOME = "outcome";
  static final String SOURCE = "source";

  private final MeterRegistry registry;
  private final Tags common;
  private final @Nullable Boolean histograms;

  Meters(MeterRegistry registry, Tags common, boolean percentileHistograms) {
    this.registry = registry;
    this.common = common;
    // null, not false: leaves the registry's own default (and a MeterFilter's) in force.
    this.histograms = percentileHistograms ? Boolean.TRUE : null;
  }

  Counter counter(String meter, String description, String name, String... tags) {
    return Counter.builder(meter)
        .description(description)
        .tags(common)
        .tag(NAME, name)
        .tags(tags)
        .register(registry);
  }

  Timer timer(String meter, String description, String name) {
    return Timer.builder(meter)
        .description(description)
        .tags(common)
        .tag(NAME, name)
        .publishPercentileHistogram(histograms)
        .register(registry);
  }

  DistributionSummary summary(String meter, String description, String unit, String name) {
    return DistributionSummary.builder(meter)
        .description(description)
        .baseUnit(unit)
        .tags(common)
        .tag(NAME, name)
        .publishPercentileHistogram(histograms)
        .register(registry);
  }

  /**
   * A gauge of state the binder owns (held strongly: Micrometer's gauges hold their object weakly,
   * and nothing else may hold this one).
   */
  <T> void gauge(
      String meter,
      String description,
      @Nullable String unit,
      String name,
      T state,
      ToDoubleFunction<T> value) {
    Gauge.builder(meter, state, value)
        .description(description)
        .baseUnit(unit)
        .tags(common)
        .tag(NAME, name)
        .strongReference(true)
        .register(registry);
  }

  /** A gauge of the user's object, held weakly: the gauge reads NaN once the object is gone. */
  <T> void weakGauge(
      String meter,
      String description,
      String unit,
      String name,
      T object,
      ToDoubleFunction<T> value) {
    Gauge.builder(meter, object, value)
        .description(description)
        .baseUnit(unit)
        .tags(common)
        .tag(NAME, name)
        .register(registry);
  }
}
