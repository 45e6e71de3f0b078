package dev.keelson.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every in-process entry point that takes a key rejects what the Redis limiters reject, before it
 * counts anything: one behaviour everywhere.
 */
class KeyCheckTest {

  private final ManualClock clock = ManualClock.create();
  private final RateLimit five = RateLimit.tokenBucket("five", 5, Duration.ofHours(1));

  @Test
  void keysWithAnUnpairedSurrogateAreRejectedByEveryEntryPoint() {
    InProcessRateLimiter limiter =
        InProcessRateLimiter.builder(five).ticker(clock::nanoTime).maximumKeys(100).build();

    for (String key : List.of("user-\uD800", "user-\uDC00", "\uDBFFx")) {
      assertThatThrownBy(() -> limiter.tryAcquire(key, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("key: has an unpaired surrogate");
      assertThatThrownBy(() -> limiter.decide(key, 1))
          .hasMessageStartingWith("key: has an unpaired surrogate");
      assertThatThrownBy(() -> limiter.decideAsync(key, 1))
          .hasMessageStartingWith("key: has an unpaired surrogate");
    }
    assertThat(limiter.keys()).isZero();
    // A surrogate pair is one character, and a fine key.
    assertThat(limiter.tryAcquire("user-\uD83D\uDE00", 1)).isTrue();
  }

  @Test
  void aHierarchyChecksEveryKeyBeforeItTakesAnyLevel() {
    InProcessRateLimitHierarchy limits =
        InProcessRateLimitHierarchy.builder(
                List.of(five, RateLimit.tokenBucket("tenant", 5, Duration.ofHours(1))))
            .ticker(clock::nanoTime)
            .maximumKeys(100)
            .build();

    assertThatThrownBy(() -> limits.decide(1, "all", "tenant-\uD800"))
        .hasMessageStartingWith("keys[1]: has an unpaired surrogate");
    assertThatThrownBy(() -> limits.decide(1, "all", "{tenant}"))
        .hasMessageContaining("keys[1]: '{tenant}' must not contain '{' or '}'");
    assertThatThrownBy(() -> limits.decide(1, "all", ""))
        .hasMessageStartingWith("keys[1]: must be 1 to 512 characters");

    // None of the rejected requests took a permit at the outer level.
    assertThat(limits.decide(1, "all", "acme").remaining()).isEqualTo(4);
  }
}
