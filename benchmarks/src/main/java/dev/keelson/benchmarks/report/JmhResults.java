package dev.keelson.benchmarks.report;

import java.util.stream.Collectors;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/** Reads what the report needs out of JMH's run results. */
public final class JmhResults {

  private JmhResults() {}

  public static Measurement toMeasurement(RunResult result) {
    BenchmarkParams params = result.getParams();
    Result<?> primary = result.getPrimaryResult();
    String paramText =
        params.getParamsKeys().stream()
            .map(key -> key + "=" + params.getParam(key))
            .collect(Collectors.joining(","));
    return new Measurement(
        params.getBenchmark(),
        paramText,
        params.getMode().shortLabel(),
        primary.getScore(),
        primary.getScoreError(),
        primary.getScoreUnit(),
        allocation(result));
  }

  /** The GC profiler's normalized allocation rate, whatever prefix this JMH version gives it. */
  // JMH declares its secondary results as a map of raw Result.
  @SuppressWarnings("rawtypes")
  private static double allocation(RunResult result) {
    for (var secondary : result.getSecondaryResults().entrySet()) {
      if (secondary.getKey().endsWith("gc.alloc.rate.norm")) {
        return secondary.getValue().getScore();
      }
    }
    return Double.NaN;
  }
}
