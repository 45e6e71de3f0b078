package dev.keelson.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Interruption ends a synchronous call at once and leaves the interrupt flag set. */
class InterruptionTest {

  @Test
  void anInterruptDuringTheWaitEndsTheCallAtOnce() throws Exception {
    CountDownLatch waiting = new CountDownLatch(1);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flagAfter = new AtomicReference<>();
    AtomicInteger attempts = new AtomicInteger();
    Retry retry =
        Retry.builder()
            .withoutBudget()
            .backoff(Backoff.fixed(Duration.ofMinutes(10)))
            .listener(
                new RetryListener() {
                  @Override
                  public void onRetryScheduled(
                      String retry, int next, long delayNanos, @Nullable Throwable failure) {
                    waiting.countDown();
                  }
                })
            .build();
    Thread caller =
        callOnAnotherThread(
            retry,
            () -> {
              attempts.incrementAndGet();
              throw new IOException("down");
            },
            thrown,
            flagAfter);
    assertThat(waiting.await(10, TimeUnit.SECONDS)).isTrue();

    caller.interrupt();
    caller.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(caller.isAlive()).as("the call ended long before its 10-minute wait").isFalse();
    assertThat(thrown.get())
        .isInstanceOf(InterruptedException.class)
        .satisfies(e -> assertThat(e.getSuppressed()).anyMatch(s -> s instanceof IOException));
    assertThat(flagAfter.get()).isTrue();
    assertThat(attempts).hasValue(1);
  }

  @Test
  void anInterruptedAttemptIsNotRetried() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flagAfter = new AtomicReference<>();
    Retry retry = Retry.builder().withoutBudget().sleeper(nanos -> {}).build();

    Thread caller =
        callOnAnotherThread(
            retry,
            () -> {
              attempts.incrementAndGet();
              throw new InterruptedException("stop");
            },
            thrown,
            flagAfter);
    caller.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(thrown.get()).isInstanceOf(InterruptedException.class).hasMessage("stop");
    assertThat(flagAfter.get()).isTrue();
    assertThat(attempts).hasValue(1);
  }

  /** Starts a thread that makes the call and records what it threw and its interrupt flag. */
  private static Thread callOnAnotherThread(
      Retry retry,
      java.util.concurrent.Callable<String> work,
      AtomicReference<Throwable> thrown,
      AtomicReference<Boolean> flagAfter) {
    Thread caller =
        new Thread(
            () -> {
              try {
                retry.call(work);
              } catch (Throwable t) {
                thrown.set(t);
              }
              flagAfter.set(Thread.currentThread().isInterrupted());
            });
    caller.start();
    return caller;
  }
}
