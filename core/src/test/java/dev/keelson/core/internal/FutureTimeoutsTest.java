package dev.keelson.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class FutureTimeoutsTest {

  @Test
  void aFutureStillIncompleteAfterTheTimeoutFails() throws Exception {
    CompletableFuture<String> reply = new CompletableFuture<>();
    long start = System.nanoTime();

    FutureTimeouts.of(Duration.ofMillis(50)).watch(reply);

    assertThatThrownBy(() -> reply.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TimeoutException.class)
        .hasMessageContaining("no reply within PT0.05S");
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
  }

  @Test
  void completedFuturesAheadInTheLaneDoNotHoldUpALateOne() {
    FutureTimeouts timeouts = FutureTimeouts.of(Duration.ofMillis(30));
    for (int i = 0; i < 10_000; i++) {
      timeouts.watch(new CompletableFuture<Integer>()).complete(i);
    }
    CompletableFuture<Integer> late = timeouts.watch(new CompletableFuture<>());
    long start = System.nanoTime();

    assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TimeoutException.class);
    assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(5).toNanos());
  }

  @Test
  void aShortTimeoutIsNotHeldUpByALongOneWatchedBefore() {
    CompletableFuture<String> slow =
        FutureTimeouts.of(Duration.ofMinutes(10)).watch(new CompletableFuture<>());
    CompletableFuture<String> fast = new CompletableFuture<>();
    long start = System.nanoTime();

    FutureTimeouts.of(Duration.ofMillis(40)).watch(fast);

    assertThatThrownBy(() -> fast.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TimeoutException.class);
    // Generous for a loaded machine, far below the 10 minutes the sweeper was asleep for.
    assertThat(System.nanoTime() - start).isLessThan(Duration.ofSeconds(5).toNanos());
    assertThat(slow).isNotDone();
    slow.complete("done");
  }

  @Test
  void aTimeoutMustBePositive() {
    assertThatThrownBy(() -> FutureTimeouts.of(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout: PT0S must be more than zero");
    assertThatThrownBy(() -> FutureTimeouts.of(Duration.ofMillis(-1)))
        .hasMessageContaining("must be more than zero");
  }

  @Test
  void theSameTimeoutSharesOneLane() {
    assertThat(FutureTimeouts.of(Duration.ofMillis(77)))
        .isSameAs(FutureTimeouts.of(Duration.ofMillis(77)));
  }
}
