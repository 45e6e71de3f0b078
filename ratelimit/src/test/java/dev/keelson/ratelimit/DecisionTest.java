package dev.keelson.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DecisionTest {

  private final ManualClock clock = ManualClock.create();

  static List<RateLimit> limits() {
    Duration second = Duration.ofSeconds(1);
    return List.of(
        RateLimit.tokenBucket("bucket", 10, second),
        RateLimit.slidingWindow("sliding", 10, second),
        RateLimit.slidingLog("log", 10, second),
        RateLimit.fixedWindow("fixed", 10, second));
  }

  @ParameterizedTest
  @MethodSource("limits")
  void aDenialSaysExactlyWhenTheSameRequestWillPass(RateLimit limit) {
    LocalRateLimiter limiter = LocalRateLimiter.builder(limit).ticker(clock::nanoTime).build();
    clock.advance(Duration.ofMillis(300));
    for (int i = 0; i < 6; i++) {
      assertThat(limiter.decide(1).allowed()).isTrue();
      clock.advance(Duration.ofMillis(100));
    }
    while (limiter.tryAcquire(1)) {
      clock.advance(Duration.ofMillis(1));
    }

    Decision denied = limiter.decide(3);
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.policy()).isEqualTo(limit.name());
    assertThat(denied.retryAfter()).isPositive();

    clock.advance(denied.retryAfter().minusNanos(1));
    assertThat(limiter.decide(3).allowed()).as("1 ns before retry-after").isFalse();
    clock.advance(Duration.ofNanos(1));
    assertThat(limiter.decide(3).allowed()).as("at retry-after").isTrue();
  }

  @ParameterizedTest
  @MethodSource("limits")
  void remainingCountsDown(RateLimit limit) {
    LocalRateLimiter limiter = LocalRateLimiter.builder(limit).ticker(clock::nanoTime).build();

    Decision first = limiter.decide(4);

    assertThat(first.allowed()).isTrue();
    assertThat(first.remaining()).isEqualTo(6);
    assertThat(first.limit()).isEqualTo(10);
    assertThat(first.retryAfter()).isZero();
    assertThat(first.resetAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(limiter.decide(6).remaining()).isZero();
    assertThat(limiter.decide(1).allowed()).isFalse();
  }

  @Test
  void aRequestLargerThanTheLimitIsAnErrorNotADenial() {
    LocalRateLimiter limiter =
        LocalRateLimiter.of(RateLimit.tokenBucket("small", 5, Duration.ofSeconds(1)));

    assertThatThrownBy(() -> limiter.tryAcquire(6))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("permits: 6 is not in 1..5 ('small' can never grant more at once)");
    assertThatThrownBy(() -> limiter.decide(0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(limiter.tryAcquire(5)).isTrue();
  }

  @Test
  void badRulesAreRejectedByField() {
    assertThatThrownBy(() -> RateLimit.tokenBucket("bad name", 5, Duration.ofSeconds(1)))
        .hasMessage("name: 'bad name' must be letters, digits, '_', '.' or '-'");
    assertThatThrownBy(() -> RateLimit.tokenBucket("n".repeat(65), 5, Duration.ofSeconds(1)))
        .hasMessage("name: must be 1 to 64 characters, not 65");
    assertThatThrownBy(() -> RateLimit.tokenBucket("ok", 0, Duration.ofSeconds(1)))
        .hasMessageStartingWith("limit: 0 is not in 1..");
    assertThatThrownBy(() -> RateLimit.slidingLog("ok", 20_000, Duration.ofSeconds(1)))
        .hasMessage("limit: 20000 is not in 1..10000 (the most a SLIDING_LOG rule holds)");
    assertThatThrownBy(() -> RateLimit.fixedWindow("ok", 5, Duration.ZERO))
        .hasMessageStartingWith("period: PT0S is not in");
    assertThatThrownBy(() -> RateLimit.tokenBucket("ok", 2_000_000_000L, Duration.ofSeconds(1)))
        .hasMessage(
            "limit: 2000000000 is not in 1..1000000000 (a token bucket refills at most one permit"
                + " per nanosecond)");
  }

  @Test
  void headersFollowTheIetfDraftAndTheCommonTrio() {
    RateLimit limit = RateLimit.fixedWindow("tenant", 100, Duration.ofSeconds(60));
    Decision denied = Decision.of(false, 0, 100, 11_200_000_000L, 2_100_000_000L, "tenant");

    assertThat(RateLimitHeaders.of(denied, limit))
        .containsExactly(
            java.util.Map.entry("RateLimit-Policy", "\"tenant\";q=100;w=60"),
            java.util.Map.entry("RateLimit", "\"tenant\";r=0;t=12"),
            java.util.Map.entry("X-RateLimit-Limit", "100"),
            java.util.Map.entry("X-RateLimit-Remaining", "0"),
            java.util.Map.entry("X-RateLimit-Reset", "12"),
            java.util.Map.entry("Retry-After", "3"));

    Decision allowed = Decision.of(true, 42, 100, 30_000_000_000L, 0, "tenant");
    assertThat(RateLimitHeaders.of(allowed, limit))
        .doesNotContainKey("Retry-After")
        .containsEntry("RateLimit", "\"tenant\";r=42;t=30");
  }

  @Test
  void theNamedFactoriesSayWhichAnswerTheyBuild() {
    Decision denied = Decision.deny(3, 100, 5_000, 2_000, "tenant");
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.retryAfterNanos()).isEqualTo(2_000);

    Decision shadowed = denied.asAllowed();
    assertThat(shadowed.allowed()).isTrue();
    assertThat(shadowed.retryAfterNanos()).as("a grant has no retry-after").isZero();
    assertThat(shadowed.remaining()).isEqualTo(3);
    assertThat(shadowed.resetAfterNanos()).isEqualTo(5_000);
    assertThat(shadowed.policy()).isEqualTo("tenant");

    Decision allowed = Decision.allow(7, 100, 0, "tenant");
    assertThat(allowed.asAllowed()).isSameAs(allowed);
    assertThat(Decision.of(true, 7, 100, 0, 9_000, "tenant").retryAfterNanos()).isZero();
  }
}
