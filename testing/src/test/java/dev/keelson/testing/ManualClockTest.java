package dev.keelson.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualClockTest {

  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void standsStillUntilAdvanced() {
    ManualClock clock = ManualClock.startingAt(START);

    assertThat(clock.instant()).isEqualTo(START);
    assertThat(clock.nanoTime()).isZero();

    clock.advance(Duration.ofMillis(1500));

    assertThat(clock.instant()).isEqualTo(START.plusMillis(1500));
    assertThat(clock.millis()).isEqualTo(START.toEpochMilli() + 1500);
    assertThat(clock.nanoTime()).isEqualTo(1_500_000_000L);
  }

  @Test
  void aWallClockJumpLeavesTheTickerAlone() {
    ManualClock clock = ManualClock.startingAt(START);
    clock.advance(Duration.ofSeconds(10));

    clock.jumpWallClock(Duration.ofHours(-1));

    assertThat(clock.instant()).isEqualTo(START.plusSeconds(10).minus(Duration.ofHours(1)));
    assertThat(clock.nanoTime()).isEqualTo(10_000_000_000L);
  }

  @Test
  void theTickerNeverGoesBack() {
    ManualClock clock = ManualClock.create();

    assertThatThrownBy(() -> clock.advance(Duration.ofNanos(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duration")
        .hasMessageContaining("negative");
    assertThat(clock.nanoTime()).isZero();
  }

  @Test
  void aZonedViewSharesTheTime() {
    ManualClock clock = ManualClock.startingAt(START);
    ManualClock paris = clock.withZone(ZoneId.of("Europe/Paris"));

    clock.advance(Duration.ofMinutes(5));

    assertThat(paris.instant()).isEqualTo(clock.instant());
    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
  }

  @Test
  void concurrentAdvancesAreAllCounted() throws InterruptedException {
    ManualClock clock = ManualClock.create();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Thread thread =
          new Thread(
              () -> {
                for (int i = 0; i < 10_000; i++) {
                  clock.advance(Duration.ofNanos(1));
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }

    assertThat(clock.nanoTime()).isEqualTo(80_000L);
  }
}
