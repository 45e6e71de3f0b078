package dev.keelson.benchmarks.report;

import java.util.Locale;

/**
 * One benchmark's result as the report needs it.
 *
 * @param benchmark the benchmark method, fully qualified ({@code pkg.Class.method})
 * @param params its JMH parameters as {@code key=value} pairs, or empty
 * @param mode JMH's short mode label ({@code avgt}, {@code thrpt}, {@code sample}, {@code ss})
 * @param score the primary score
 * @param error the score's 99.9% confidence half-width (NaN when JMH had too few samples)
 * @param unit the score's unit as JMH writes it ({@code ns/op}, {@code ops/s}...)
 * @param allocBytesPerOp bytes allocated per operation (GC profiler), NaN when not measured
 */
public record Measurement(
    String benchmark,
    String params,
    String mode,
    double score,
    double error,
    String unit,
    double allocBytesPerOp) {

  public String className() {
    return benchmark.substring(0, benchmark.lastIndexOf('.'));
  }

  public String methodName() {
    return benchmark.substring(benchmark.lastIndexOf('.') + 1);
  }

  /** {@code SimpleClassName.method}, the form a group's baseline reference uses. */
  public String shortName() {
    String className = className();
    return className.substring(className.lastIndexOf('.') + 1) + "." + methodName();
  }

  /** The method name and its parameters, as a row label. */
  public String label() {
    return params.isEmpty() ? methodName() : methodName() + "[" + params + "]";
  }

  /**
   * The cost of one operation in nanoseconds, whatever the mode and unit, so that rows measured as
   * throughput and as average time compare.
   */
  public double nanosPerOp() {
    if (unit.startsWith("ops/")) {
      return nanosIn(unit.substring("ops/".length())) / score;
    }
    if (unit.endsWith("/op")) {
      return score * nanosIn(unit.substring(0, unit.length() - "/op".length()));
    }
    throw new IllegalArgumentException("unit: cannot compare a score in '" + unit + "'");
  }

  private static double nanosIn(String timeUnit) {
    switch (timeUnit.toLowerCase(Locale.ROOT)) {
      case "ns":
        return 1;
      case "us":
        return 1e3;
      case "ms":
        return 1e6;
      case "s":
        return 1e9;
      case "min":
        return 60e9;
      default:
        throw new IllegalArgumentException("unit: unknown time unit '" + timeUnit + "'");
    }
  }
}
