package dev.keelson.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the policy's own parts throw (listeners, predicates, hints, backoff, budget, sleeper) never
 * replaces the task's outcome, and an asynchronous call completes whatever throws.
 */
class PolicyFailureTest extends ManualTime {

  private static final IllegalStateException BROKEN = new IllegalStateException("broken part");

  /** A budget that counts requests and successes but throws when asked for a retry. */
  private static final class ThrowingBudget implements RetryBudget {
    @Override
    public void onRequest() {}

    @Override
    public boolean tryAcquireRetry() {
      throw BROKEN;
    }

    @Override
    public void onSuccess(boolean retried) {}

    @Override
    public long retriesAvailable() {
      throw BROKEN;
    }
  }

  static Stream<Arguments> brokenParts() {
    return Stream.of(
        broken("retryIf", b -> b.retryIf(e -> throwBroken())),
        broken("abortIf", b -> b.abortIf(e -> throwBroken())),
        broken("retryAfter", b -> b.retryAfter(IOException.class, e -> throwBroken())),
        broken("backoff", b -> b.backoff((retry, previous, random) -> throwBroken())),
        broken("budget", b -> b.budget(new ThrowingBudget())));
  }

  private static Arguments broken(String part, UnaryOperator<Retry.Builder> breakIt) {
    return Arguments.of(part, breakIt);
  }

  private static <T> T throwBroken() {
    throw BROKEN;
  }

  /** The task's failure, with the broken part's exception and the stop marker suppressed. */
  private void assertTheTaskFailureCarriesThePolicyFailure(Throwable thrown) {
    assertThat(thrown).isExactlyInstanceOf(IOException.class).hasMessage("down 1");
    assertThat(thrown.getSuppressed()).contains(BROKEN);
    assertThat(RetryStoppedException.in(thrown).orElseThrow().reason())
        .isEqualTo(StopReason.POLICY_FAILED);
    assertThat(listener.events).containsExactly("attempt 1", "gave up POLICY_FAILED after 1");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenParts")
  void aBrokenPartNeverReplacesTheTasksFailure(String part, UnaryOperator<Retry.Builder> breakIt) {
    AtomicInteger calls = new AtomicInteger();
    Retry retry = breakIt.apply(policy()).build();

    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      throw new IOException("down " + calls.incrementAndGet());
                    }))
        .satisfies(this::assertTheTaskFailureCarriesThePolicyFailure);
    assertThat(calls).hasValue(1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenParts")
  void aBrokenPartStillCompletesTheAsyncCallWithTheTasksFailure(
      String part, UnaryOperator<Retry.Builder> breakIt) {
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<String> result =
        breakIt
            .apply(policy())
            .build()
            .callAsync(
                () ->
                    CompletableFuture.failedFuture(
                        new IOException("down " + calls.incrementAndGet())),
                scheduler);

    assertTheTaskFailureCarriesThePolicyFailure(failureOf(result));
    assertThat(scheduler.pending()).isZero();
  }

  @Test
  void aSleeperThatThrowsEndsTheCallWithTheTasksFailure() {
    Retry retry =
        policy()
            .sleeper(
                nanos -> {
                  throw BROKEN;
                })
            .build();

    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      throw new IOException("down 1");
                    }))
        .isExactlyInstanceOf(IOException.class)
        .hasMessage("down 1")
        .satisfies(
            e -> {
              assertThat(e.getSuppressed()).contains(BROKEN);
              assertThat(RetryStoppedException.in(e).orElseThrow().reason())
                  .isEqualTo(StopReason.POLICY_FAILED);
            });
    assertThat(listener.events)
        .containsExactly("attempt 1", "retry 2", "gave up POLICY_FAILED after 1");
  }

  @Test
  void aTickerThatCannotBeReadFailsTheAsyncCallsFutureWithoutRunningTheTask() {
    Retry retry =
        Retry.builder()
            .withoutBudget() // a budget of its own would read the ticker when built
            .deadline(java.time.Duration.ofSeconds(1))
            .ticker(
                () -> {
                  throw BROKEN;
                })
            .build();
    java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();

    CompletableFuture<String> call =
        retry.callAsync(
            () -> {
              ran.incrementAndGet();
              return CompletableFuture.completedFuture("ok");
            },
            scheduler);

    assertThat(call).isCompletedExceptionally();
    assertThatThrownBy(call::join).hasCause(BROKEN);
    assertThat(ran).hasValue(0);
  }

  @Test
  void aResultPredicateThatThrowsLeavesTheResultToTheCaller() throws Exception {
    Retry retry =
        policy()
            .retryIfResult(
                String.class,
                r -> {
                  throw BROKEN;
                })
            .build();

    assertThat(retry.call(() -> "503")).isEqualTo("503");
    assertThat(
            retry.callAsync(() -> CompletableFuture.completedFuture("503"), scheduler).getNow(null))
        .isEqualTo("503");
    assertThat(listener.events)
        .containsExactly(
            "attempt 1",
            "gave up POLICY_FAILED after 1",
            "attempt 1",
            "gave up POLICY_FAILED after 1");
  }

  @Test
  void aRetryableResultWhoseWaitCannotStartIsReturned() throws Exception {
    Retry.Builder retryingResults = policy().retryIfResult(String.class, "503"::equals);
    ScheduledThreadPoolExecutor stopped = new ScheduledThreadPoolExecutor(1);
    stopped.shutdown();

    String sync =
        retryingResults
            .sleeper(
                nanos -> {
                  throw BROKEN;
                })
            .build()
            .call(() -> "503");
    CompletableFuture<String> async =
        retryingResults.build().callAsync(() -> CompletableFuture.completedFuture("503"), stopped);

    assertThat(sync).isEqualTo("503");
    assertThat(async).isCompletedWithValue("503");
    assertThat(listener.events)
        .as("sync: heard before the wait, which then fails; async: no timer, no retry heard")
        .containsExactly(
            "attempt 1",
            "retry 2",
            "gave up POLICY_FAILED after 1",
            "attempt 1",
            "gave up POLICY_FAILED after 1");
  }

  @Test
  void aTimerTheSchedulerRefusesIsNeverAnnouncedAndItsRetryIsGivenBack() {
    TokenBucketRetryBudget tokens = TokenBucketRetryBudget.builder().capacity(10).build();
    RatioRetryBudget ratio = RatioRetryBudget.builder().ticker(clock::nanoTime).build();
    ScheduledThreadPoolExecutor stopped = new ScheduledThreadPoolExecutor(1);
    stopped.shutdown();
    long ratioBefore = ratio.retriesAvailable();

    for (RetryBudget budget : List.<RetryBudget>of(tokens, ratio)) {
      CompletableFuture<String> call =
          policy()
              .budget(budget)
              .build()
              .callAsync(() -> CompletableFuture.failedFuture(new IOException("down 1")), stopped);
      assertThat(failureOf(call)).hasMessage("down 1");
    }

    assertThat(listener.events)
        .containsExactly(
            "attempt 1",
            "gave up POLICY_FAILED after 1",
            "attempt 1",
            "gave up POLICY_FAILED after 1");
    assertThat(tokens.tokens()).as("no retry was made: none spent").isEqualTo(10);
    assertThat(ratio.retriesAvailable())
        .as("a request earns a tenth of a retry")
        .isEqualTo(ratioBefore);
  }

  @Test
  void aWaitThatCannotStartOrIsCancelledGivesItsRetryBack() throws Exception {
    TokenBucketRetryBudget tokens = TokenBucketRetryBudget.builder().capacity(10).build();
    Retry brokenSleeper =
        policy()
            .budget(tokens)
            .sleeper(
                nanos -> {
                  throw BROKEN;
                })
            .build();
    assertThatThrownBy(
            () ->
                brokenSleeper.call(
                    () -> {
                      throw new IOException("down 1");
                    }))
        .hasMessage("down 1");
    assertThat(tokens.tokens()).as("the sleeper threw: given back").isEqualTo(10);

    CompletableFuture<String> waiting =
        policy()
            .budget(tokens)
            .build()
            .callAsync(() -> CompletableFuture.failedFuture(new IOException("down")), scheduler);
    assertThat(tokens.tokens()).as("spent while the timer waits").isEqualTo(5);
    waiting.cancel(false);
    assertThat(tokens.tokens()).as("cancelled before it ran: given back").isEqualTo(10);
  }

  @Test
  void aBudgetThatCannotCountRequestsOrSuccessesDoesNotFailTheCall() throws Exception {
    Retry retry =
        policy()
            .budget(
                new RetryBudget() {
                  @Override
                  public void onRequest() {
                    throw BROKEN;
                  }

                  @Override
                  public boolean tryAcquireRetry() {
                    return true;
                  }

                  @Override
                  public void onSuccess(boolean retried) {
                    throw BROKEN;
                  }

                  @Override
                  public long retriesAvailable() {
                    throw BROKEN;
                  }
                })
            .build();

    assertThat(retry.call(() -> "ok")).isEqualTo("ok");
    assertThat(retry.callAsync(() -> CompletableFuture.completedFuture("ok"), scheduler))
        .isCompletedWithValue("ok");
  }

  /** Throws from every event. */
  private static final class ThrowingListener implements RetryListener {
    final AtomicInteger heard = new AtomicInteger();

    private void fail() {
      heard.incrementAndGet();
      throw BROKEN;
    }

    @Override
    public void onAttempt(String retry, int attempt) {
      fail();
    }

    @Override
    public void onRetryScheduled(
        String retry, int nextAttempt, long delayNanos, @Nullable Throwable failure) {
      fail();
    }

    @Override
    public void onGaveUp(
        String retry, StopReason reason, int attempts, @Nullable Throwable failure) {
      fail();
    }

    @Override
    public void onSucceeded(String retry, int attempts) {
      fail();
    }
  }

  @Test
  void aThrowingListenerChangesNoSyncOutcome() throws Exception {
    ThrowingListener throwing = new ThrowingListener();
    Retry retry = policy().listener(throwing).build();
    AtomicInteger calls = new AtomicInteger();

    String result =
        retry.call(
            () -> {
              if (calls.incrementAndGet() < 3) {
                throw new IOException("down " + calls.get());
              }
              return "ok";
            });

    assertThat(result).isEqualTo("ok");
    assertThat(calls).hasValue(3);
    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      throw new IOException("down");
                    }))
        .isExactlyInstanceOf(IOException.class)
        .hasMessage("down")
        .satisfies(
            e ->
                assertThat(RetryStoppedException.in(e).orElseThrow().reason())
                    .isEqualTo(StopReason.ATTEMPTS_EXHAUSTED));
    // 3 attempts, 2 retries and a success; then 3 attempts, 2 retries and the give-up: all heard.
    assertThat(throwing.heard).hasValue(12);
  }

  @Test
  void aThrowingListenerChangesNoAsyncOutcome() {
    ThrowingListener throwing = new ThrowingListener();
    Retry retry = policy().listener(throwing).build();
    AtomicInteger calls = new AtomicInteger();

    CompletableFuture<String> succeeding =
        retry.callAsync(
            () ->
                calls.incrementAndGet() < 3
                    ? CompletableFuture.failedFuture(new IOException("down"))
                    : CompletableFuture.completedFuture("ok"),
            scheduler);
    scheduler.runNext();
    scheduler.runNext();
    CompletableFuture<String> failing =
        retry.callAsync(() -> CompletableFuture.failedFuture(new IOException("down")), scheduler);
    scheduler.runNext();
    scheduler.runNext();

    assertThat(succeeding).isCompletedWithValue("ok");
    assertThat(failureOf(failing)).isExactlyInstanceOf(IOException.class).hasMessage("down");
    assertThat(throwing.heard).hasValue(12);
  }

  @Test
  void anErrorEndsASyncCallAsItEndsAnAsyncOne() {
    Retry retry = policy().build();

    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      throw new AssertionError("bug");
                    }))
        .isExactlyInstanceOf(AssertionError.class);
    assertThat(
            failureOf(
                retry.callAsync(
                    () -> CompletableFuture.failedFuture(new AssertionError("bug")), scheduler)))
        .isExactlyInstanceOf(AssertionError.class);
    assertThat(listener.events)
        .containsExactly(
            "attempt 1",
            "gave up NOT_RETRYABLE after 1",
            "attempt 1",
            "gave up NOT_RETRYABLE after 1");
  }

  /** The failure of a future that must already be complete (a hang fails here, not later). */
  private static Throwable failureOf(CompletableFuture<?> future) {
    assertThat(future).isDone();
    try {
      future.getNow(null);
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("completed normally: " + future.getNow(null));
  }
}
