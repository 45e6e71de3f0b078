package dev.keelson.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Each strategy's bounds and mean, from fixed seeds. */
class BackoffTest {

  private static final Duration BASE = Duration.ofMillis(100);
  private static final Duration CAP = Duration.ofSeconds(5);
  private static final long BASE_NANOS = BASE.toNanos();
  private static final long CAP_NANOS = CAP.toNanos();
  private static final int SAMPLES = 50_000;

  private static long[] sample(Backoff backoff, int retry, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    return LongStream.range(0, SAMPLES).map(i -> backoff.delayNanos(retry, 0, random)).toArray();
  }

  private static double mean(long[] values) {
    return LongStream.of(values).average().orElseThrow();
  }

  @Test
  void fixedIsAlwaysTheSame() {
    Backoff fixed = Backoff.fixed(Duration.ofMillis(250));
    for (int retry = 1; retry < 10; retry++) {
      assertThat(fixed.delayNanos(retry, 0, new SplittableRandom(1))).isEqualTo(250_000_000L);
    }
  }

  @Test
  void exponentialDoublesUpToTheCap() {
    Backoff exponential = Backoff.exponential(BASE, CAP);
    SplittableRandom random = new SplittableRandom(1);

    assertThat(LongStream.rangeClosed(1, 8).map(n -> exponential.delayNanos((int) n, 0, random)))
        .containsExactly(
            BASE_NANOS,
            2 * BASE_NANOS,
            4 * BASE_NANOS,
            8 * BASE_NANOS,
            16 * BASE_NANOS,
            32 * BASE_NANOS,
            CAP_NANOS,
            CAP_NANOS);
    assertThat(exponential.delayNanos(1000, 0, random)).isEqualTo(CAP_NANOS);
    assertThat(exponential.delayNanos(Integer.MAX_VALUE, 0, random)).isEqualTo(CAP_NANOS);
  }

  @Test
  void fullJitterIsUniformUnderTheExponentialCeiling() {
    for (int retry = 1; retry <= 8; retry++) {
      long ceiling = Math.min(CAP_NANOS, BASE_NANOS << (retry - 1));
      long[] delays = sample(Backoff.fullJitter(BASE, CAP), retry, 42 + retry);

      assertThat(LongStream.of(delays).allMatch(d -> d >= 0 && d <= ceiling)).isTrue();
      assertThat(mean(delays)).isCloseTo(ceiling / 2.0, within(ceiling * 0.01));
      assertThat(LongStream.of(delays).min().orElseThrow()).isLessThan(ceiling / 100);
      assertThat(LongStream.of(delays).max().orElseThrow()).isGreaterThan(ceiling * 99 / 100);
    }
  }

  @Test
  void equalJitterStaysInTheUpperHalf() {
    for (int retry = 1; retry <= 8; retry++) {
      long ceiling = Math.min(CAP_NANOS, BASE_NANOS << (retry - 1));
      long[] delays = sample(Backoff.equalJitter(BASE, CAP), retry, 7 + retry);

      assertThat(LongStream.of(delays).allMatch(d -> d >= ceiling / 2 && d <= ceiling)).isTrue();
      assertThat(mean(delays)).isCloseTo(ceiling * 0.75, within(ceiling * 0.01));
    }
  }

  @Test
  void decorrelatedJitterGrowsFromThePreviousDelayAndNeverPassesTheCap() {
    Backoff decorrelated = Backoff.decorrelatedJitter(BASE, CAP);
    SplittableRandom random = new SplittableRandom(99);
    long previous = 0;
    double sumFirst = 0;
    for (int i = 0; i < SAMPLES; i++) {
      long first = decorrelated.delayNanos(1, 0, random);
      assertThat(first).isBetween(BASE_NANOS, 3 * BASE_NANOS);
      sumFirst += first;

      long next = decorrelated.delayNanos(2, previous == 0 ? first : previous, random);
      long upper = Math.min(CAP_NANOS, 3 * (previous == 0 ? first : previous));
      assertThat(next).isBetween(BASE_NANOS, Math.max(BASE_NANOS, upper));
      previous = next;
    }
    assertThat(sumFirst / SAMPLES).isCloseTo(2.0 * BASE_NANOS, within(BASE_NANOS * 0.02));
    assertThat(decorrelated.delayNanos(5, CAP_NANOS, random)).isLessThanOrEqualTo(CAP_NANOS);
  }

  @Test
  void theSameSeedGivesTheSameDelays() {
    LongSupplier first =
        () -> Backoff.fullJitter(BASE, CAP).delayNanos(3, 0, new SplittableRandom(5));
    assertThat(first.getAsLong()).isEqualTo(first.getAsLong());
  }

  @Test
  void badSettingsAreRejectedByName() {
    assertThatThrownBy(() -> Backoff.fullJitter(Duration.ZERO, CAP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("base: PT0S");
    assertThatThrownBy(() -> Backoff.exponential(CAP, BASE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("cap: ")
        .hasMessageContaining("at least base");
    assertThatThrownBy(() -> Backoff.fixed(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("delay: ");
  }

  @Test
  void aCeilingOfLongMaxValueNanosNeitherThrowsNorOverflows() {
    Duration second = Duration.ofSeconds(1);
    Duration pastTheLongest = Duration.ofDays(365L * 300);
    List<Backoff> strategies =
        List.of(
            Backoff.fullJitter(second, pastTheLongest),
            Backoff.fullJitter(pastTheLongest, pastTheLongest),
            Backoff.fullJitter(second, Duration.ofSeconds(Long.MAX_VALUE)),
            Backoff.equalJitter(second, pastTheLongest),
            Backoff.decorrelatedJitter(second, pastTheLongest),
            Backoff.exponential(second, pastTheLongest),
            Backoff.fixed(pastTheLongest));
    SplittableRandom random = new SplittableRandom(3);
    for (Backoff backoff : strategies) {
      long largest = 0;
      for (int retry = 1; retry <= 100; retry++) {
        for (long previous : new long[] {0, Long.MAX_VALUE / 3, Long.MAX_VALUE}) {
          long delay = backoff.delayNanos(retry, previous, random);
          assertThat(delay).as("%s retry %d", backoff, retry).isNotNegative();
          largest = Math.max(largest, delay);
        }
      }
      assertThat(largest).as("%s reaches its cap", backoff).isGreaterThan(Long.MAX_VALUE / 8);
    }
  }
}
