package dev.keelson.benchmarks.leasing;

import dev.keelson.benchmarks.BenchmarkGroup;
import dev.keelson.leasing.Lease;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * A lease's operations on PostgreSQL: acquire then release (two statements, each its own
 * transaction) and renew (one), compared to one bare {@code SELECT 1}.
 */
@BenchmarkGroup(
    name = "leasing-postgres",
    title = "Lease acquire + release (2 statements) and renew (1), on PostgreSQL",
    baseline = "PostgresBenchmark.selectOne")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PostgresLeaseBenchmark {

  @Benchmark
  public boolean acquireRelease(LeasingState state) {
    Lease lease = state.postgresLeaser.tryAcquire("job", LeasingState.TTL).orElseThrow();
    return state.postgresLeaser.release(lease);
  }

  @Benchmark
  public Lease renew(LeasingState state) {
    state.postgresHeld = state.postgresLeaser.renew(state.postgresHeld).orElseThrow();
    return state.postgresHeld;
  }
}
