package dev.keelson.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a binder's meters: its user's tags first, then the component's {@code name} and
 * Keelson's own tags, so every meter of one name has the same tag keys.
 */
final class Meters {

  static final String NAME = "name";
  static final String OUTCOME = "outcome";
  static final String SOURCE = "source";

  private static final Logger log = LoggerFactory.getLogger(Meters.class);

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
   * A gauge of state the binder owns, held strongly (Micrometer's gauges hold their object weakly,
   * and nothing else holds this one).
   */
  <T> void gauge(
      String meter,
      String description,
      @Nullable String unit,
      String name,
      T state,
      ToDoubleFunction<T> value) {
    register(
        meter, Gauge.builder(meter, state, value).strongReference(true), description, unit, name);
  }

  /** A gauge of the user's object, held weakly: it reads NaN once the object is gone. */
  <T> void weakGauge(
      String meter,
      String description,
      String unit,
      String name,
      T object,
      ToDoubleFunction<T> value) {
    register(meter, Gauge.builder(meter, object, value), description, unit, name);
  }

  /**
   * Registers a gauge, replacing one an earlier binder (or call) registered under the same name and
   * tags: a registry keeps the first gauge of an id, and would go on reading the old state (an
   * application restarted on a shared registry, say). Counters need no such care: two binders add
   * to the same one.
   */
  private void register(
      String meter,
      Gauge.Builder<?> gauge,
      String description,
      @Nullable String unit,
      String name) {
    Gauge earlier = registry.find(meter).tags(common).tag(NAME, name).gauge();
    if (earlier != null) {
      log.warn("{} for '{}' was registered before: the new binder's replaces it", meter, name);
      registry.remove(earlier);
    }
    gauge.description(description).baseUnit(unit).tags(common).tag(NAME, name).register(registry);
  }
}
