package dev.keelson.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.testing.ManualClock;
import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * At every rate the builder accepts, from one an hour to one a nanosecond, the in-process token
 * bucket admits at most its burst plus the rate times the time elapsed, and under overload no less
 * than that minus one interval per period's worth of nanoseconds rounding.
 */
class TokenBucketRateTest {

  @ParameterizedTest(name = "{0} per {1}")
  @CsvSource({
    "1, PT1H",
    "7, PT1S",
    "1000, PT1S",
    "600000, PT1S",
    "1000000, PT1S",
    "600000000, PT1S",
    "1000000000, PT1S",
    "604800000000000, P7D"
  })
  void admitsTheBurstPlusTheRateAndNoMore(long limit, Duration period) {
    RateLimit rule = RateLimit.tokenBucket("rate", limit, period);
    ManualClock clock = ManualClock.create();
    LocalRateLimiter limiter = LocalRateLimiter.builder(rule).ticker(clock::nanoTime).build();
    int chunk = (int) Math.min(Integer.MAX_VALUE, Math.max(1, limit / 20));
    // Steps short enough that less refills in one than a request asks: overload all along.
    long step =
        Math.max(1, Math.min(period.toNanos() / 1000, chunk * (period.toNanos() / limit) / 2));

    long admitted = 0;
    long start = clock.nanoTime();
    for (int i = 0; i < 3000; i++) {
      admitted += limiter.tryAcquire(chunk) ? chunk : 0;
      clock.advance(Duration.ofNanos(step));
    }
    long elapsed = clock.nanoTime() - step - start;

    // Exactly: admitted <= limit + elapsed * limit / period.
    BigInteger bound =
        BigInteger.valueOf(limit)
            .add(
                BigInteger.valueOf(elapsed)
                    .multiply(BigInteger.valueOf(limit))
                    .divide(BigInteger.valueOf(period.toNanos())));
    assertThat(BigInteger.valueOf(admitted)).isLessThanOrEqualTo(bound);
    // The interval is rounded up by less than a nanosecond: that is all it may lose.
    long interval = (period.toNanos() + limit - 1) / limit;
    // (A bucket larger than all that was asked grants it all.)
    long asked = 3000L * chunk;
    assertThat(admitted)
        .isGreaterThan(Math.min(asked - 1, limit - chunk + elapsed / interval - chunk));
  }
}
