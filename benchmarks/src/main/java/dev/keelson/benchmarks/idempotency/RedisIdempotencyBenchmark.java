package dev.keelson.benchmarks.idempotency;

import dev.keelson.benchmarks.BenchmarkGroup;
import dev.keelson.idempotency.Outcome;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * A request executed under a fresh key, and a duplicate replayed, compared to a bare {@code
 * EVALSHA}.
 */
@BenchmarkGroup(
    name = "idempotency-redis",
    title = "Idempotency on Redis: an execution (begin + complete, 2 scripts) and a replay (1)",
    baseline = "RedisScriptBenchmark.evalshaBare")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedisIdempotencyBenchmark {

  @Benchmark
  public Outcome<byte[]> execute(IdempotencyState state) {
    return state.redis.execute(
        state.freshKey(), IdempotencyState.FINGERPRINT, () -> IdempotencyState.RESULT);
  }

  @Benchmark
  public Outcome<byte[]> replay(IdempotencyState state) {
    return state.redis.execute(
        IdempotencyState.EXECUTED, IdempotencyState.FINGERPRINT, () -> IdempotencyState.RESULT);
  }
}
