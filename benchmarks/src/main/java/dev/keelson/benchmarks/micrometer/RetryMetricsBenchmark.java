package dev.keelson.benchmarks.micrometer;

import dev.keelson.benchmarks.Baseline;
import dev.keelson.benchmarks.BenchmarkGroup;
import dev.keelson.micrometer.RetryMetrics;
import dev.keelson.retry.Retry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * A call through a retry policy that succeeds at once (the path nearly every call takes), with no
 * binder (the baseline) and with a binder on a Prometheus registry; and the success event told to
 * the binder directly.
 */
@BenchmarkGroup(
    name = "metrics-retry",
    title = "A successful call through a retry policy with and without the Micrometer binder")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class RetryMetricsBenchmark {

  private final Callable<String> task = () -> "ok";
  private Retry withoutBinder;
  private Retry withBinder;
  private RetryMetrics binder;

  @Setup
  public void setUp() {
    binder = RetryMetrics.on(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    withoutBinder = Retry.builder().name("bench").withoutBudget().build();
    withBinder = Retry.builder().name("bench").withoutBudget().listener(binder).build();
  }

  @Benchmark
  @Baseline
  public String callWithoutBinder() throws Exception {
    return withoutBinder.call(task);
  }

  @Benchmark
  public String callWithPrometheusBinder() throws Exception {
    return withBinder.call(task);
  }

  /** The binder's own cost for the success event: a map read, two counter increments. */
  @Benchmark
  public RetryMetrics eventToThePrometheusBinder() {
    binder.onSucceeded("bench", 1);
    return binder;
  }
}
