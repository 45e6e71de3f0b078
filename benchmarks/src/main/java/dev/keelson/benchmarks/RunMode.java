package dev.keelson.benchmarks;

import java.util.Locale;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** How long and how often the benchmarks run. */
public enum RunMode {
  /** Proves every benchmark runs: one fork, one short iteration. Used by CI. */
  SMOKE(1, 0, 0, 1, 200),
  /** The whole suite in minutes on two cores: numbers for a first look. */
  QUICK(1, 2, 1000, 3, 1000),
  /** Numbers to publish: several forks, long enough to settle JIT and GC. */
  FULL(3, 5, 2000, 5, 2000);

  private final int forks;
  private final int warmupIterations;
  private final int warmupMillis;
  private final int iterations;
  private final int iterationMillis;

  RunMode(int forks, int warmupIterations, int warmupMillis, int iterations, int iterationMillis) {
    this.forks = forks;
    this.warmupIterations = warmupIterations;
    this.warmupMillis = warmupMillis;
    this.iterations = iterations;
    this.iterationMillis = iterationMillis;
  }

  public static RunMode parse(String name) {
    for (RunMode mode : values()) {
      if (mode.name().equalsIgnoreCase(name)) {
        return mode;
      }
    }
    throw new IllegalArgumentException("mode: '" + name + "' is not one of smoke, quick, full");
  }

  ChainedOptionsBuilder apply(ChainedOptionsBuilder options) {
    return options
        .forks(forks)
        .warmupIterations(warmupIterations)
        .warmupTime(TimeValue.milliseconds(Math.max(warmupMillis, 1)))
        .measurementIterations(iterations)
        .measurementTime(TimeValue.milliseconds(iterationMillis));
  }

  /** One line for the report: what this mode ran. */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "mode %s: %d fork(s), %d × %d ms warm-up, %d × %d ms measurement, GC profiler",
        name().toLowerCase(Locale.ROOT),
        forks,
        warmupIterations,
        warmupMillis,
        iterations,
        iterationMillis);
  }
}
