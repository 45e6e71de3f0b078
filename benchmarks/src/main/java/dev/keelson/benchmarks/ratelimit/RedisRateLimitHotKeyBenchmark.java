package dev.keelson.benchmarks.ratelimit;

import dev.keelson.benchmarks.BenchmarkGroup;
import dev.keelson.benchmarks.Peer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;

/**
 * One hot key, eight callers at once on one connection: Bucket4j's compare-and-swap backend must
 * retry when callers collide; a script decides atomically on the server.
 */
@BenchmarkGroup(
    name = "ratelimit-redis-hot-key",
    title = "Redis token bucket, one hot key, 8 concurrent callers on one connection",
    baseline = "RedisRoundTripBenchmark.pingSync")
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(8)
public class RedisRateLimitHotKeyBenchmark {

  @Benchmark
  public boolean keelsonHotKey(RedisRateLimitState redis) {
    return redis.keelson.tryAcquire(RedisRateLimitState.HOT, 1);
  }

  @Benchmark
  @Peer("Bucket4j")
  public boolean bucket4jHotKey(RedisRateLimitState redis) {
    return redis.bucket4jHot.tryConsume(1);
  }
}
