package dev.keelson.benchmarks.micrometer;

import dev.keelson.benchmarks.Baseline;
import dev.keelson.benchmarks.BenchmarkGroup;
import dev.keelson.micrometer.RateLimitMetrics;
import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.DecisionSource;
import dev.keelson.ratelimit.InProcessRateLimiter;
import dev.keelson.ratelimit.RateLimit;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
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
 * An in-process rate-limit decision for one key, granted (so the limiter does its full work), with
 * no binder (its listener is {@code NONE}: the baseline), with a binder on a Prometheus and on a
 * simple registry; and one decision event told to a binder directly, which is the binder's own cost
 * per event.
 */
@BenchmarkGroup(
    name = "metrics-ratelimit",
    title = "A rate-limit decision with and without the Micrometer binder")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
public class RateLimitMetricsBenchmark {

  private static final RateLimit RULE =
      RateLimit.tokenBucket("bench", 1_000_000_000L, Duration.ofSeconds(1));

  private InProcessRateLimiter withoutBinder;
  private InProcessRateLimiter withPrometheus;
  private InProcessRateLimiter withSimple;
  private RateLimitMetrics binder;
  private Decision decision;

  @Setup
  public void setUp() {
    withoutBinder = InProcessRateLimiter.of(RULE);
    binder = RateLimitMetrics.on(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    withPrometheus = InProcessRateLimiter.builder(RULE).listener(binder).build();
    withSimple =
        InProcessRateLimiter.builder(RULE)
            .listener(RateLimitMetrics.on(new SimpleMeterRegistry()))
            .build();
    decision = withoutBinder.decide("tenant", 1);
  }

  @Benchmark
  @Baseline
  public Decision decisionWithoutBinder() {
    return withoutBinder.decide("tenant", 1);
  }

  @Benchmark
  public Decision decisionWithPrometheusBinder() {
    return withPrometheus.decide("tenant", 1);
  }

  @Benchmark
  public Decision decisionWithSimpleBinder() {
    return withSimple.decide("tenant", 1);
  }

  /** What the binder itself costs per event: one map read, one counter increment. */
  @Benchmark
  public RateLimitMetrics eventToThePrometheusBinder() {
    binder.onDecision("bench", "tenant", decision, DecisionSource.IN_PROCESS);
    return binder;
  }

  /**
   * What a decision Redis made costs the binder: its latency recorded in a timer, then the decision
   * counted. (Beside the round trip it rides on, tens of microseconds, it does not show in a Redis
   * benchmark: this is the figure.)
   */
  @Benchmark
  public RateLimitMetrics redisDecisionEventsToThePrometheusBinder() {
    binder.onBackendAnswered("redis", 42_000);
    binder.onDecision("redis", "tenant", decision, DecisionSource.BACKEND);
    return binder;
  }
}
