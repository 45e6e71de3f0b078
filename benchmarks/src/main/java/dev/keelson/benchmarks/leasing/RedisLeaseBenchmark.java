package dev.keelson.benchmarks.leasing;

import dev.keelson.benchmarks.BenchmarkGroup;
import dev.keelson.leasing.Lease;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * A lease's operations on Redis: acquire then release (two round trips) and renew (one), compared
 * to one bare {@code EVALSHA}.
 */
@BenchmarkGroup(
    name = "leasing-redis",
    title = "Lease acquire + release (2 round trips) and renew (1), on Redis",
    baseline = "RedisScriptBenchmark.evalshaBare")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedisLeaseBenchmark {

  @Benchmark
  public boolean acquireRelease(LeasingState state) {
    Lease lease = state.redisLeaser.tryAcquire("job", LeasingState.TTL).orElseThrow();
    return state.redisLeaser.release(lease);
  }

  @Benchmark
  public Lease renew(LeasingState state) {
    state.redisHeld = state.redisLeaser.renew(state.redisHeld).orElseThrow();
    return state.redisHeld;
  }
}
