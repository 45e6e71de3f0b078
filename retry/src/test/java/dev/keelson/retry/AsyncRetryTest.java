package dev.keelson.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AsyncRetryTest extends ManualTime {

  private static CompletableFuture<String> failed(String message) {
    return CompletableFuture.failedFuture(new IOException(message));
  }

  @Test
  void waitingForARetryHoldsNoThread() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    List<Thread> attemptThreads = new ArrayList<>();

    CompletableFuture<String> result =
        policy()
            .build()
            .callAsync(
                () -> {
                  attemptThreads.add(Thread.currentThread());
                  return calls.incrementAndGet() < 3
                      ? failed("down")
                      : CompletableFuture.completedFuture("ok");
                },
                scheduler);

    // The call returned at once: the retry is a timer, not a sleeping thread.
    assertThat(result).isNotDone();
    assertThat(scheduler.pending()).isEqualTo(1);
    assertThat(scheduler.nextDelay()).hasValue(Duration.ofMillis(100));
    assertThat(scheduler.getActiveCount()).isZero();

    scheduler.runNext();
    assertThat(result).isNotDone();
    scheduler.runNext();

    assertThat(result.get()).isEqualTo("ok");
    assertThat(attemptThreads).containsOnly(Thread.currentThread());
    assertThat(listener.events).endsWith("succeeded after 3");
  }

  @Test
  void theLastFailureKeepsItsTypeWithTheEarlierOnesSuppressed() {
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<String> result =
        policy().build().callAsync(() -> failed("failure " + calls.incrementAndGet()), scheduler);
    scheduler.runNext();
    scheduler.runNext();

    assertThatThrownBy(result::get)
        .isInstanceOf(ExecutionException.class)
        .cause()
        .isExactlyInstanceOf(IOException.class)
        .hasMessage("failure 3")
        .satisfies(
            e -> {
              assertThat(e.getSuppressed()).hasSize(3);
              assertThat(RetryStoppedException.in(e).orElseThrow().reason())
                  .isEqualTo(StopReason.ATTEMPTS_EXHAUSTED);
            });
  }

  @Test
  void aTaskThatThrowsInsteadOfFailingItsStageIsRetriedToo() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<String> result =
        policy()
            .build()
            .callAsync(
                () -> {
                  if (calls.incrementAndGet() == 1) {
                    throw new IllegalStateException("threw");
                  }
                  return CompletableFuture.completedFuture("ok");
                },
                scheduler);
    scheduler.runNext();

    assertThat(result.get()).isEqualTo("ok");
  }

  @Test
  void cancellingStopsFurtherAttemptsAndCancelsTheWait() {
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<String> result =
        policy().build().callAsync(() -> failed("down " + calls.incrementAndGet()), scheduler);
    assertThat(scheduler.pending()).isEqualTo(1);

    assertThat(result.cancel(true)).isTrue();

    assertThat(scheduler.pending()).isZero();
    scheduler.runNext();
    assertThat(calls).hasValue(1);
    assertThat(listener.events).endsWith("gave up CANCELLED after 1");
  }

  @Test
  void cancellingCancelsTheAttemptInFlight() {
    CompletableFuture<String> inFlight = new CompletableFuture<>();
    CompletableFuture<String> result = policy().build().callAsync(() -> inFlight, scheduler);

    result.cancel(true);

    assertThat(inFlight).isCancelled();
  }

  @Test
  void theDeadlineHoldsAsynchronouslyToo() {
    CompletableFuture<String> result =
        policy()
            .maxAttempts(10)
            .deadline(Duration.ofMillis(250))
            .build()
            .callAsync(attempt -> failed("down at " + attempt.number()), scheduler);
    scheduler.runNext();
    scheduler.runNext();

    assertThat(scheduler.pending()).isZero();
    assertThatThrownBy(result::get)
        .cause()
        .hasMessage("down at 3")
        .satisfies(
            e ->
                assertThat(RetryStoppedException.in(e).orElseThrow().reason())
                    .isEqualTo(StopReason.DEADLINE));
    assertThat(clock.nanoTime()).isEqualTo(Duration.ofMillis(200).toNanos());
  }

  @Test
  void aShutDownSchedulerFailsTheCallWithTheLastFailure() {
    scheduler.shutdown();
    ScheduledThreadPoolExecutor stopped = new ScheduledThreadPoolExecutor(1);
    stopped.shutdown();

    CompletableFuture<String> result = policy().build().callAsync(() -> failed("down"), stopped);

    assertThatThrownBy(result::get)
        .cause()
        .isInstanceOf(IOException.class)
        .satisfies(
            e -> {
              assertThat(e.getSuppressed())
                  .anyMatch(s -> s instanceof java.util.concurrent.RejectedExecutionException);
              assertThat(RetryStoppedException.in(e).orElseThrow().reason())
                  .isEqualTo(StopReason.POLICY_FAILED);
            });
    assertThat(listener.events).endsWith("gave up POLICY_FAILED after 1");
  }

  @Test
  void manyWaitingCallsShareOneSchedulerThread() throws Exception {
    ScheduledThreadPoolExecutor oneThread = new ScheduledThreadPoolExecutor(1);
    try {
      Retry retry =
          Retry.builder()
              .withoutBudget()
              .maxAttempts(3)
              .backoff(Backoff.fixed(Duration.ofMillis(50)))
              .build();
      List<CompletableFuture<String>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        AtomicInteger attempts = new AtomicInteger();
        calls.add(
            retry.callAsync(
                () ->
                    attempts.incrementAndGet() < 3
                        ? failed("down")
                        : CompletableFuture.completedFuture("ok"),
                oneThread));
      }

      // Had each wait held the one thread, 400 waits of 50 ms would take 20 s.
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      assertThat(calls).allMatch(c -> "ok".equals(c.join()));
    } finally {
      oneThread.shutdownNow();
    }
  }

  @Test
  void aRetryIsToldBeforeItRunsEvenWhenItsTimerFiresAtOnce() throws Exception {
    ScheduledThreadPoolExecutor threads = new ScheduledThreadPoolExecutor(2);
    try {
      List<RecordingListener> listeners = new ArrayList<>();
      List<CompletableFuture<String>> calls = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        RecordingListener heard = new RecordingListener();
        listeners.add(heard);
        AtomicInteger attempts = new AtomicInteger();
        Retry retry =
            Retry.builder()
                .withoutBudget()
                .backoff(Backoff.fixed(Duration.ZERO))
                .listener(heard)
                .build();
        calls.add(
            retry.callAsync(
                () ->
                    attempts.incrementAndGet() < 2
                        ? failed("down")
                        : CompletableFuture.completedFuture("ok"),
                threads));
      }

      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      assertThat(listeners)
          .allSatisfy(
              heard ->
                  assertThat(heard.events)
                      .containsExactly("attempt 1", "retry 2", "attempt 2", "succeeded after 2"));
    } finally {
      threads.shutdownNow();
    }
  }
}
