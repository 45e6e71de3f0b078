package dev.keelson.benchmarks.baseline;

import dev.keelson.benchmarks.Baseline;
import dev.keelson.benchmarks.BenchmarkGroup;
import io.lettuce.core.RedisFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * What one Lettuce connection to Redis can do at all: the latency of one {@code PING}, and the
 * throughput of {@code PING}s kept in flight 100 at a time.
 */
@BenchmarkGroup(
    name = "redis-roundtrip",
    title = "Redis PING on one Lettuce connection: sync latency and async pipelined throughput",
    baseline = "RedisRoundTripBenchmark.pingSync")
public class RedisRoundTripBenchmark {

  static final int PIPELINE = 100;

  @Benchmark
  @Baseline
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String pingSync(RedisState redis) {
    return redis.connection.sync().ping();
  }

  @Benchmark
  @Baseline
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(PIPELINE)
  public int pingAsyncPipelined(RedisState redis) throws InterruptedException, ExecutionException {
    List<RedisFuture<String>> inFlight = new ArrayList<>(PIPELINE);
    for (int i = 0; i < PIPELINE; i++) {
      inFlight.add(redis.connection.async().ping());
    }
    int pongs = 0;
    for (RedisFuture<String> reply : inFlight) {
      pongs += reply.get().length();
    }
    return pongs;
  }
}
