package dev.keelson.benchmarks.ratelimit;

import dev.keelson.benchmarks.Baseline;
import dev.keelson.benchmarks.BenchmarkGroup;
import dev.keelson.benchmarks.Peer;
import dev.keelson.ratelimit.InProcessRateLimiter;
import dev.keelson.ratelimit.RateLimit;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A limit per key over a million keys, each request for a random one: Keelson's keyed limiter
 * (Caffeine, idle eviction, bounded) beside a Bucket4j bucket per key in a map; the baseline is
 * finding a counter for the key in a {@link ConcurrentHashMap}.
 */
@BenchmarkGroup(
    name = "ratelimit-keyed-1m",
    title = "In-process, a million keys, a random key per request",
    baseline = "KeyedRateLimitBenchmark.mapLookup")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KeyedRateLimitBenchmark {

  static final int KEYS = 1_000_000;
  private static final RateLimit LIMIT = RateLimit.tokenBucket("user", 100, Duration.ofSeconds(1));

  private String[] keys;
  private ConcurrentHashMap<String, AtomicLong> counters;
  private InProcessRateLimiter keelson;
  private ConcurrentHashMap<String, Bucket> bucket4j;

  @Setup(Level.Trial)
  public void fill() {
    keys = new String[KEYS];
    counters = new ConcurrentHashMap<>(KEYS * 2);
    keelson =
        InProcessRateLimiter.builder(LIMIT).ticker(System::nanoTime).maximumKeys(2L * KEYS).build();
    bucket4j = new ConcurrentHashMap<>(KEYS * 2);
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "user-" + i;
      counters.put(keys[i], new AtomicLong());
      keelson.tryAcquire(keys[i], 1);
      bucket4j.computeIfAbsent(keys[i], k -> newBucket()).tryConsume(1);
    }
  }

  static Bucket newBucket() {
    return Bucket.builder()
        .addLimit(
            Bandwidth.builder().capacity(100).refillGreedy(100, Duration.ofSeconds(1)).build())
        .build();
  }

  private String randomKey() {
    return keys[ThreadLocalRandom.current().nextInt(KEYS)];
  }

  @Benchmark
  @Baseline
  @SuppressWarnings("NullAway") // fill() put every key; no null check in the measured baseline
  public long mapLookup() {
    return counters.get(randomKey()).get();
  }

  @Benchmark
  public boolean keelson() {
    return keelson.tryAcquire(randomKey(), 1);
  }

  @Benchmark
  @Peer("Bucket4j")
  public boolean bucket4jPerKey() {
    return bucket4j.computeIfAbsent(randomKey(), k -> newBucket()).tryConsume(1);
  }
}
