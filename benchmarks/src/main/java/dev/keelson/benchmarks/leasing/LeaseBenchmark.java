package dev.keelson.benchmarks.leasing;

import dev.keelson.benchmarks.BenchmarkGroup;
import dev.keelson.leasing.Lease;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * A lease's operations per backend: acquire then release (two round trips), and renew (one),
 * compared to a bare {@code EVALSHA} (Redis) and a bare {@code SELECT 1} (PostgreSQL).
 */
@BenchmarkGroup(
    name = "leasing",
    title = "Lease acquire + release and renew, on Redis and PostgreSQL",
    baseline = "RedisScriptBenchmark.evalshaBare")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LeaseBenchmark {

  @Benchmark
  public boolean redisAcquireRelease(LeasingState state) {
    Lease lease = state.redisLeaser.tryAcquire("job", LeasingState.TTL).orElseThrow();
    return state.redisLeaser.release(lease);
  }

  @Benchmark
  public Lease redisRenew(LeasingState state) {
    state.redisHeld = state.redisLeaser.renew(state.redisHeld).orElseThrow();
    return state.redisHeld;
  }

  @Benchmark
  public boolean postgresAcquireRelease(LeasingState state) {
    Lease lease = state.postgresLeaser.tryAcquire("job", LeasingState.TTL).orElseThrow();
    return state.postgresLeaser.release(lease);
  }

  @Benchmark
  public Lease postgresRenew(LeasingState state) {
    state.postgresHeld = state.postgresLeaser.renew(state.postgresHeld).orElseThrow();
    return state.postgresHeld;
  }
}
