package dev.keelson.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.RequiredSearch;

/** Reads one meter of a registry by name and tags; a missing meter fails the test. */
final class Meter {

  private Meter() {}

  static RequiredSearch find(MeterRegistry registry, String meter, String... tags) {
    return registry.get(meter).tags(tags);
  }

  static double count(MeterRegistry registry, String meter, String... tags) {
    return find(registry, meter, tags).counter().count();
  }

  static double gauge(MeterRegistry registry, String meter, String... tags) {
    return find(registry, meter, tags).gauge().value();
  }

  static double decisions(MeterRegistry registry, String name, String outcome, String source) {
    return count(
        registry,
        "keelson.ratelimit.decisions",
        "name",
        name,
        "outcome",
        outcome,
        "source",
        source);
  }
}
