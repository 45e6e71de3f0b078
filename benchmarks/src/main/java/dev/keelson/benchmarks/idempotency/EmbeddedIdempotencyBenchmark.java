package dev.keelson.benchmarks.idempotency;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keelson.benchmarks.Baseline;
import dev.keelson.benchmarks.BenchmarkGroup;
import dev.keelson.idempotency.IdempotencyKey;
import dev.keelson.idempotency.Outcome;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Idempotency without a server: an execution and a replay in memory and on embedded H2, and a
 * replay from the local cache in front of any store; compared to a bare Caffeine lookup.
 */
@BenchmarkGroup(
    name = "idempotency-embedded",
    title = "Idempotency in memory, on embedded H2, and a replay from the local cache")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EmbeddedIdempotencyBenchmark {

  /** A Caffeine cache holding one result, as the local cache holds it. */
  @State(Scope.Thread)
  public static class BareCache {
    Cache<IdempotencyKey, byte[]> cache;

    @Setup(Level.Trial)
    public void fill() {
      cache = Caffeine.newBuilder().maximumSize(1000).build();
      cache.put(IdempotencyState.EXECUTED, IdempotencyState.RESULT);
    }
  }

  @Benchmark
  @Baseline
  public byte @Nullable [] caffeineLookup(BareCache bare) {
    return bare.cache.getIfPresent(IdempotencyState.EXECUTED);
  }

  @Benchmark
  public Outcome<byte[]> replayFromLocalCache(IdempotencyState state) {
    return state.locallyCached.execute(
        IdempotencyState.EXECUTED, IdempotencyState.FINGERPRINT, () -> IdempotencyState.RESULT);
  }

  @Benchmark
  public Outcome<byte[]> memoryExecute(IdempotencyState state) {
    return state.memory.execute(
        state.freshKey(), IdempotencyState.FINGERPRINT, () -> IdempotencyState.RESULT);
  }

  @Benchmark
  public Outcome<byte[]> memoryReplay(IdempotencyState state) {
    return state.memory.execute(
        IdempotencyState.EXECUTED, IdempotencyState.FINGERPRINT, () -> IdempotencyState.RESULT);
  }

  @Benchmark
  public Outcome<byte[]> h2Execute(IdempotencyState state) {
    return state.h2.execute(
        state.freshKey(), IdempotencyState.FINGERPRINT, () -> IdempotencyState.RESULT);
  }

  @Benchmark
  public Outcome<byte[]> h2Replay(IdempotencyState state) {
    return state.h2.execute(
        IdempotencyState.EXECUTED, IdempotencyState.FINGERPRINT, () -> IdempotencyState.RESULT);
  }
}
