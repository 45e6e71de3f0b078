package dev.keelson.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TickerTest {

  @Test
  void theSystemTickerNeverGoesBack() {
    Ticker ticker = Ticker.system();
    long previous = ticker.nanoTime();
    for (int i = 0; i < 10_000; i++) {
      long now = ticker.nanoTime();
      assertThat(now).isGreaterThanOrEqualTo(previous);
      previous = now;
    }
  }

  @Test
  void aManualClockServesAsATicker() {
    ManualClock clock = ManualClock.create();
    Ticker ticker = clock::nanoTime;
    long start = ticker.nanoTime();

    clock.advance(Duration.ofMillis(250));

    assertThat(ticker.nanoTime() - start).isEqualTo(Duration.ofMillis(250).toNanos());
  }
}
