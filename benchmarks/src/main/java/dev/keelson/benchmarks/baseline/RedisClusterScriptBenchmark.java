package dev.keelson.benchmarks.baseline;

import dev.keelson.benchmarks.Baseline;
import dev.keelson.benchmarks.BenchmarkGroup;
import io.lettuce.core.ScriptOutputType;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/** The same trivial script on a Redis Cluster, routed by its key's slot. */
@BenchmarkGroup(
    name = "redis-cluster-script",
    title = "A trivial Lua script on a 3-master Redis Cluster: bare EVALSHA vs RedisScriptRunner")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedisClusterScriptBenchmark {

  private static final List<String> KEYS = List.of(RedisState.KEY);

  @Benchmark
  @Baseline
  public Long evalshaBare(RedisClusterState cluster) {
    return cluster
        .connection
        .sync()
        .evalsha(RedisState.TRIVIAL.sha1(), ScriptOutputType.INTEGER, RedisState.KEY);
  }

  @Benchmark
  public Long scriptRunnerSync(RedisClusterState cluster) {
    return cluster.runner.run(RedisState.TRIVIAL, KEYS);
  }
}
