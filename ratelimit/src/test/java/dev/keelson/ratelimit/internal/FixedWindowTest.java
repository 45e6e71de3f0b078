package dev.keelson.ratelimit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.ratelimit.Algorithm;
import dev.keelson.ratelimit.RateLimit;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FixedWindowTest {

  private static final long WINDOW = Duration.ofSeconds(1).toNanos();

  @Test
  void aCallerWithAStaleClockCountsInTheNewerWindowAndWipesNothing() {
    PackedState state =
        new PackedState(PackedAlgorithm.of(RateLimit.fixedWindow("w", 10, Duration.ofSeconds(1))));
    long newer = 5 * WINDOW + 10;
    assertThat(state.tryAcquire(newer, 9)).isTrue();

    // A thread read the clock in the window before, then stalled while the other took 9.
    assertThat(state.tryAcquire(newer - WINDOW, 2)).as("counted in the newer window").isFalse();
    assertThat(state.tryAcquire(newer - WINDOW, 1)).isTrue();
    assertThat(state.tryAcquire(newer, 1)).as("the newer window's count survived").isFalse();
    assertThat(state.decide(newer, 1).remaining()).isZero();
    assertThat(state.tryAcquire(newer + WINDOW, 10)).isTrue();
  }

  @Test
  void aWindowFilledToTheLargestLimitStaysFull() {
    int largest = (int) Algorithm.FIXED_WINDOW.maxLimit();
    PackedState state =
        new PackedState(
            PackedAlgorithm.of(RateLimit.fixedWindow("w", largest, Duration.ofSeconds(1))));
    assertThat(state.tryAcquire(WINDOW, largest)).isTrue();

    assertThat(state.tryAcquire(WINDOW + 1, 1))
        .as("a full count must not spill into the tag")
        .isFalse();
    assertThat(state.decide(WINDOW + 2, 1).remaining()).isZero();
  }
}
