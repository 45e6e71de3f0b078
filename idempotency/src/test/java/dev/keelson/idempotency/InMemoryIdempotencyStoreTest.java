package dev.keelson.idempotency;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.testing.ManualClock;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InMemoryIdempotencyStoreTest extends IdempotencyStoreContract {

  private final ManualClock clock = ManualClock.create();
  private final InMemoryIdempotencyStore store =
      InMemoryIdempotencyStore.builder().clock(clock).maximumEntries(10_000).build();

  @Override
  protected IdempotencyStore store() {
    return store;
  }

  @Override
  protected void letPass(Duration duration) {
    clock.advance(duration.plusMillis(1));
  }

  @Override
  protected Clock clock() {
    return clock;
  }

  @Test
  void aSizeOutsideTheBoundsIsRejected() {
    assertThatThrownBy(
            () -> InMemoryIdempotencyStore.builder().clock(clock).maximumEntries(0).build())
        .hasMessageStartingWith("maximumEntries: 0");
  }
}
