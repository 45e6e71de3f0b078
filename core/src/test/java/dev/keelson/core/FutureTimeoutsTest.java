package dev.keelson.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
  void aFutureCompletedInTimeKeepsItsValue() throws Exception {
    FutureTimeouts timeouts = FutureTimeouts.of(Duration.ofMillis(30));
    List<CompletableFuture<Integer>> replies = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      CompletableFuture<Integer> reply = timeouts.watch(new CompletableFuture<>());
      reply.complete(i);
      replies.add(reply);
    }
    CompletableFuture<Integer> late = timeouts.watch(new CompletableFuture<>());

    assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TimeoutException.class);
    for (int i = 0; i < replies.size(); i++) {
      assertThat(replies.get(i).get()).isEqualTo(i);
    }
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
