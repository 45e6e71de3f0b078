package dev.keelson.benchmarks.ratelimit;

import dev.keelson.benchmarks.Baseline;
import dev.keelson.benchmarks.BenchmarkGroup;
import dev.keelson.benchmarks.Peer;
import dev.keelson.ratelimit.Decision;
import io.lettuce.core.RedisFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * A decision on Redis per request, on one connection, keys drawn uniformly from 10,000: Keelson's
 * one script round trip beside Bucket4j's Lettuce backend; compared to a bare {@code PING}.
 */
@BenchmarkGroup(
    name = "ratelimit-redis",
    title = "Redis token bucket, one connection, uniform keys: one decision",
    baseline = "RedisRoundTripBenchmark.pingSync")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedisRateLimitBenchmark {

  static final int PIPELINE = 100;

  @Benchmark
  public boolean keelsonSync(RedisRateLimitState redis) {
    return redis.keelson.tryAcquire(redis.keys[redis.nextKey()], 1);
  }

  /**
   * The same token bucket script, one at a time, by bare Lettuce {@code EVALSHA}: the script's own
   * round trip, with no limiter around it.
   */
  @Benchmark
  @Baseline
  public List<Object> bareScriptSync(RedisRateLimitState redis) {
    return redis.bareScript();
  }

  @Benchmark
  @Peer("Bucket4j")
  public boolean bucket4jSync(RedisRateLimitState redis) {
    return redis.bucket4j[redis.nextKey()].tryConsume(1);
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(PIPELINE)
  public int keelsonAsyncPipelined(RedisRateLimitState redis) {
    List<CompletableFuture<Decision>> inFlight = new ArrayList<>(PIPELINE);
    for (int i = 0; i < PIPELINE; i++) {
      inFlight.add(redis.keelson.decideAsync(redis.keys[redis.nextKey()], 1).toCompletableFuture());
    }
    int granted = 0;
    for (CompletableFuture<Decision> decision : inFlight) {
      granted += decision.join().allowed() ? 1 : 0;
    }
    return granted;
  }

  /**
   * The same token bucket script, 100 in flight, sent by bare Lettuce {@code EVALSHA}: what Redis's
   * single thread can do with this script on one connection, with no limiter around it.
   */
  @Benchmark
  @Baseline
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(PIPELINE)
  public long bareScriptPipelined(RedisRateLimitState redis) {
    List<RedisFuture<List<Object>>> inFlight = new ArrayList<>(PIPELINE);
    for (int i = 0; i < PIPELINE; i++) {
      inFlight.add(redis.bareScriptAsync());
    }
    long granted = 0;
    for (RedisFuture<List<Object>> reply : inFlight) {
      granted += (Long) reply.toCompletableFuture().join().get(0);
    }
    return granted;
  }

  @Benchmark
  @Peer("Bucket4j")
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(PIPELINE)
  public int bucket4jAsyncPipelined(RedisRateLimitState redis) {
    List<CompletableFuture<Boolean>> inFlight = new ArrayList<>(PIPELINE);
    for (int i = 0; i < PIPELINE; i++) {
      inFlight.add(redis.bucket4jAsync[redis.nextKey()].tryConsume(1));
    }
    int granted = 0;
    for (CompletableFuture<Boolean> decision : inFlight) {
      granted += decision.join() ? 1 : 0;
    }
    return granted;
  }
}
