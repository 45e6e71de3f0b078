package dev.keelson.benchmarks.ratelimit;

import dev.keelson.benchmarks.BenchmarkGroup;
import dev.keelson.ratelimit.RateLimit;
import dev.keelson.ratelimit.redis.RedisRateLimiter;
import dev.keelson.testing.Servers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A request for a key that Redis has already denied for an hour: with the local deny cache it is
 * denied in this JVM; without it every request is a round trip to be told no again.
 */
@BenchmarkGroup(
    name = "ratelimit-deny-cache",
    title = "A denied request for a blocked key: local deny cache vs a round trip each time",
    baseline = "RedisRoundTripBenchmark.pingSync")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DenyCacheBenchmark {

  private static final RateLimit ONE_PER_HOUR =
      RateLimit.tokenBucket("abuse", 1, Duration.ofHours(1));

  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;
  private RedisRateLimiter cached;
  private RedisRateLimiter uncached;

  @Setup(Level.Trial)
  public void block() {
    client = RedisClient.create();
    connection = client.connect(Servers.redis());
    cached = RedisRateLimiter.on(connection, ONE_PER_HOUR);
    uncached = RedisRateLimiter.builder(connection, ONE_PER_HOUR).withoutDenyCache().build();
    cached.tryAcquire("abuser", 1);
    cached.tryAcquire("abuser", 1);
  }

  @TearDown(Level.Trial)
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  @Benchmark
  public boolean deniedFromTheLocalCache() {
    return cached.tryAcquire("abuser", 1);
  }

  @Benchmark
  public boolean deniedByARoundTrip() {
    return uncached.tryAcquire("abuser", 1);
  }
}
