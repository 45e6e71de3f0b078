package dev.keelson.benchmarks.idempotency;

import dev.keelson.benchmarks.BenchmarkGroup;
import dev.keelson.idempotency.Outcome;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * A request executed under a fresh key, and a duplicate replayed, compared to a bare {@code SELECT
 * 1}.
 */
@BenchmarkGroup(
    name = "idempotency-postgres",
    title = "Idempotency on PostgreSQL: an execution (begin transaction + complete) and a replay",
    baseline = "PostgresBenchmark.selectOne")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PostgresIdempotencyBenchmark {

  @Benchmark
  public Outcome<byte[]> execute(IdempotencyState state) {
    return state.postgres.execute(
        state.freshKey(), IdempotencyState.FINGERPRINT, () -> IdempotencyState.RESULT);
  }

  @Benchmark
  public Outcome<byte[]> replay(IdempotencyState state) {
    return state.postgres.execute(
        IdempotencyState.EXECUTED, IdempotencyState.FINGERPRINT, () -> IdempotencyState.RESULT);
  }
}
