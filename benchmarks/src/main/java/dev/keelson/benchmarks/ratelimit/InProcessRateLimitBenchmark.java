package dev.keelson.benchmarks.ratelimit;

import dev.keelson.benchmarks.Baseline;
import dev.keelson.benchmarks.BenchmarkGroup;
import dev.keelson.benchmarks.Peer;
import dev.keelson.ratelimit.LocalRateLimiter;
import dev.keelson.ratelimit.RateLimit;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * One limiter for one key, asked for one permit at a time by one thread; limits so high that every
 * request is granted, so each library does its full work (read the clock, update the state).
 * Reading the clock is the floor, so it is the baseline.
 */
@BenchmarkGroup(
    name = "ratelimit-in-process-1-thread",
    title = "In-process, one key, one thread: a granted permit",
    baseline = "InProcessRateLimitBenchmark.clockRead")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(1)
public class InProcessRateLimitBenchmark {

  private static final long PER_SECOND = 1_000_000_000L;

  private LocalRateLimiter tokenBucket;
  private LocalRateLimiter slidingWindow;
  private LocalRateLimiter fixedWindow;
  private Bucket bucket4j;
  private io.github.resilience4j.ratelimiter.RateLimiter resilience4j;
  private com.google.common.util.concurrent.RateLimiter guava;

  @Setup
  public void setUp() {
    tokenBucket =
        LocalRateLimiter.of(RateLimit.tokenBucket("bench", PER_SECOND, Duration.ofSeconds(1)));
    slidingWindow =
        LocalRateLimiter.of(RateLimit.slidingWindow("bench", 1_000_000, Duration.ofMillis(1)));
    fixedWindow =
        LocalRateLimiter.of(RateLimit.fixedWindow("bench", 1_000_000, Duration.ofMillis(1)));
    bucket4j =
        Bucket.builder()
            .addLimit(
                Bandwidth.builder()
                    .capacity(PER_SECOND)
                    .refillGreedy(PER_SECOND, Duration.ofSeconds(1))
                    .build())
            .build();
    resilience4j =
        io.github.resilience4j.ratelimiter.RateLimiter.of(
            "bench",
            RateLimiterConfig.custom()
                .limitForPeriod(Integer.MAX_VALUE)
                .limitRefreshPeriod(Duration.ofSeconds(1))
                .timeoutDuration(Duration.ZERO)
                .build());
    guava = com.google.common.util.concurrent.RateLimiter.create(PER_SECOND);
  }

  @Benchmark
  @Baseline
  public long clockRead() {
    return System.nanoTime();
  }

  /**
   * The floor of any limiter that keeps its state in memory threads share: read the clock, then one
   * compare-and-set (on a line of this thread's own, so two threads do not contend).
   */
  @Benchmark
  @Baseline
  public boolean clockReadAndCas(CasTarget target) {
    return target.compareAndSet(System.nanoTime());
  }

  @Benchmark
  public boolean keelsonTokenBucket() {
    return tokenBucket.tryAcquire(1);
  }

  @Benchmark
  public boolean keelsonSlidingWindow() {
    return slidingWindow.tryAcquire(1);
  }

  @Benchmark
  public boolean keelsonFixedWindow() {
    return fixedWindow.tryAcquire(1);
  }

  @Benchmark
  @Peer("Bucket4j")
  public boolean bucket4j() {
    return bucket4j.tryConsume(1);
  }

  @Benchmark
  @Peer("Resilience4j")
  public boolean resilience4j() {
    return resilience4j.acquirePermission();
  }

  @Benchmark
  @Peer("Guava")
  public boolean guava() {
    return guava.tryAcquire();
  }

  /**
   * One long per thread for {@link #clockReadAndCas}: each thread allocates its own, in an
   * allocation buffer of its own, so two threads do not share its cache line.
   */
  @State(Scope.Thread)
  public static class CasTarget {
    private final AtomicLong value = new AtomicLong();

    boolean compareAndSet(long now) {
      return value.compareAndSet(value.get(), now);
    }
  }
}
