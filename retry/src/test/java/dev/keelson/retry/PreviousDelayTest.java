package dev.keelson.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A backoff that grows from the last delay (decorrelated jitter) gets the delay the call really
 * waited, whether the backoff or a server's hint chose it, in both the sync and the async loop.
 */
class PreviousDelayTest extends ManualTime {

  private static final Duration HINT = Duration.ofMillis(7);

  private final List<Integer> retries = new CopyOnWriteArrayList<>();
  private final List<Long> previousDelays = new CopyOnWriteArrayList<>();

  private Retry decorrelated() {
    Backoff decorrelated =
        Backoff.decorrelatedJitter(Duration.ofMillis(10), Duration.ofSeconds(10));
    return policy()
        .maxAttempts(5)
        .random(new SplittableRandom(11))
        .retryAfter(IOException.class, e -> "hinted".equals(e.getMessage()) ? HINT : null)
        .backoff(
            (retry, previous, random) -> {
              retries.add(retry);
              previousDelays.add(previous);
              return decorrelated.delayNanos(retry, previous, random);
            })
        .build();
  }

  /** The first failure carries a hint; the backoff chooses the later waits. */
  private static IOException failure(int attempt) {
    return new IOException(attempt == 1 ? "hinted" : "down");
  }

  private void assertEachBackoffGotTheDelayBeforeIt() {
    assertThat(listener.delays).hasSize(4);
    assertThat(listener.delays.get(0)).isEqualTo(HINT.toNanos());
    assertThat(retries).containsExactly(2, 3, 4);
    assertThat(previousDelays).containsExactlyElementsOf(listener.delays.subList(0, 3));
  }

  @Test
  void theSyncLoopPassesTheDelayItWaited() {
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(
            () ->
                decorrelated()
                    .call(
                        () -> {
                          throw failure(calls.incrementAndGet());
                        }))
        .isInstanceOf(IOException.class);

    assertEachBackoffGotTheDelayBeforeIt();
  }

  @Test
  void theAsyncLoopPassesTheDelayItWaited() {
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<String> result =
        decorrelated()
            .callAsync(
                () -> CompletableFuture.failedFuture(failure(calls.incrementAndGet())), scheduler);
    while (scheduler.runNext()) {
      // each timer starts the next attempt
    }

    assertThat(result).isCompletedExceptionally();
    assertEachBackoffGotTheDelayBeforeIt();
  }
}
