package dev.keelson.benchmarks.report;

import dev.keelson.benchmarks.report.fixtures.LimiterFixture;

/** Measurements of the fixture classes, as JMH would report them. */
final class ReportFixtures {

  static final String LIMITER = LimiterFixture.class.getName();
  static final String REMOTE = "dev.keelson.benchmarks.report.fixtures.RemoteFixture";

  private ReportFixtures() {}

  static Measurement avgt(String className, String method, double nanos) {
    return new Measurement(className + "." + method, "", "avgt", nanos, nanos / 10, "ns/op", 0);
  }

  static Row row(String className, String method, double nanos) {
    return Catalog.place(avgt(className, method, nanos));
  }
}
