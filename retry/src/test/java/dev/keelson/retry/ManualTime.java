package dev.keelson.retry;

import dev.keelson.testing.ManualClock;
import dev.keelson.testing.ManualScheduler;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/**
 * A test's time: a manual clock that sync waits move and a scheduler whose timers the test runs,
 * with a policy wired to both and to a recording listener.
 */
abstract class ManualTime {

  final ManualClock clock = ManualClock.create();
  final ManualScheduler scheduler = new ManualScheduler(clock);
  final RecordingListener listener = new RecordingListener();

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  /** No budget, a fixed 100 ms backoff, the manual clock and the recording listener. */
  Retry.Builder policy() {
    return Retry.builder()
        .withoutBudget()
        .ticker(clock::nanoTime)
        .sleeper(nanos -> clock.advance(Duration.ofNanos(nanos)))
        .backoff(Backoff.fixed(Duration.ofMillis(100)))
        .listener(listener);
  }
}
