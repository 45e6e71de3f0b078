package dev.keelson.benchmarks.baseline;

import dev.keelson.benchmarks.Baseline;
import dev.keelson.benchmarks.BenchmarkGroup;
import io.lettuce.core.ScriptOutputType;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * A script that does nothing, run by a bare Lettuce {@code EVALSHA} and by Keelson's script runner:
 * the runner's own cost on top of the round trip every Redis-backed decision pays.
 */
@BenchmarkGroup(
    name = "redis-script",
    title = "A trivial Lua script on Redis standalone: bare EVALSHA vs Keelson's RedisScriptRunner")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedisScriptBenchmark {

  private static final List<String> KEYS = List.of(RedisState.KEY);

  @Benchmark
  @Baseline
  public Long evalshaBare(RedisState redis) {
    return redis
        .connection
        .sync()
        .evalsha(RedisState.TRIVIAL.sha1(), ScriptOutputType.INTEGER, RedisState.KEY);
  }

  @Benchmark
  public Long scriptRunnerSync(RedisState redis) {
    return redis.runner.run(RedisState.TRIVIAL, KEYS);
  }

  @Benchmark
  public Long scriptRunnerAsync(RedisState redis) throws InterruptedException, ExecutionException {
    return redis.runner.runAsync(RedisState.TRIVIAL, KEYS).toCompletableFuture().get();
  }
}
