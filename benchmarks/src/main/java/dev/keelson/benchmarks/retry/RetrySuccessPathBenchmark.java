package dev.keelson.benchmarks.retry;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import dev.keelson.benchmarks.Baseline;
import dev.keelson.benchmarks.BenchmarkGroup;
import dev.keelson.benchmarks.Peer;
import dev.keelson.retry.CheckedRunnable;
import dev.keelson.retry.Retry;
import dev.keelson.retry.RetryListener;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a retry policy costs when nothing fails, which is almost always: a call that succeeds at
 * once, through Keelson (without a budget, with one, with a deadline, with a listener), Failsafe
 * and Resilience4j, all allowing 3 attempts; beside calling the work directly and reading the
 * clock.
 */
@BenchmarkGroup(
    name = "retry-success-path",
    title = "A call that succeeds at once, through a retry policy of 3 attempts",
    baseline = "RetrySuccessPathBenchmark.directCall")
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RetrySuccessPathBenchmark {

  private long value = 42;
  private Callable<Long> work;
  private CheckedRunnable workWithoutResult;
  private CheckedSupplier<Long> failsafeWork;
  private Retry keelson;
  private Retry keelsonBudget;
  private Retry keelsonDeadline;
  private Retry keelsonListener;
  private long attemptsHeard;
  private FailsafeExecutor<Long> failsafe;
  private io.github.resilience4j.retry.Retry resilience4j;

  @Setup
  public void setUp() {
    work = this::work;
    workWithoutResult = this::work;
    failsafeWork = this::work;
    keelson = Retry.builder().withoutBudget().build();
    keelsonBudget = Retry.builder().build();
    keelsonDeadline = Retry.builder().withoutBudget().deadline(Duration.ofSeconds(10)).build();
    keelsonListener =
        Retry.builder()
            .withoutBudget()
            .listener(
                new RetryListener() {
                  @Override
                  public void onAttempt(String retry, int attempt) {
                    attemptsHeard += attempt;
                  }

                  @Override
                  public void onSucceeded(String retry, int attempts) {
                    attemptsHeard += attempts;
                  }
                })
            .build();
    failsafe =
        Failsafe.with(
            RetryPolicy.<Long>builder()
                .withMaxAttempts(3)
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(20))
                .withJitter(0.5)
                .build());
    resilience4j =
        io.github.resilience4j.retry.Retry.of(
            "benchmark",
            RetryConfig.custom().maxAttempts(3).waitDuration(Duration.ofMillis(100)).build());
  }

  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  private Long work() {
    return value;
  }

  @Benchmark
  @Baseline
  public Long directCall() throws Exception {
    return work.call();
  }

  @Benchmark
  @Baseline
  public long clockRead() {
    return System.nanoTime();
  }

  @Benchmark
  public Long keelsonNoBudget() throws Exception {
    return keelson.call(work);
  }

  /** {@code run(CheckedRunnable)}: the same loop as {@code call}, with no adapter per call. */
  @Benchmark
  public void keelsonRunNoBudget() throws Exception {
    keelson.run(workWithoutResult);
  }

  @Benchmark
  public Long keelsonWithBudget() throws Exception {
    return keelsonBudget.call(work);
  }

  @Benchmark
  public Long keelsonWithDeadline() throws Exception {
    return keelsonDeadline.call(work);
  }

  @Benchmark
  public Long keelsonWithListener() throws Exception {
    return keelsonListener.call(work);
  }

  @Benchmark
  @Peer("Failsafe")
  public Long failsafe() {
    return failsafe.get(failsafeWork);
  }

  @Benchmark
  @Peer("Resilience4j")
  public Long resilience4j() throws Exception {
    return resilience4j.executeCallable(work);
  }
}
