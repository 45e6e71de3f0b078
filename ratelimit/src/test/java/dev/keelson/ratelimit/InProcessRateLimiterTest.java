package dev.keelson.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.testing.Concurrently;
import dev.keelson.testing.ManualClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InProcessRateLimiterTest {

  private final ManualClock clock = ManualClock.create();
  private final RateLimit perTenant = RateLimit.tokenBucket("tenant", 5, Duration.ofSeconds(1));

  @Test
  void keysHaveSeparateLimits() {
    InProcessRateLimiter limiter =
        InProcessRateLimiter.builder(perTenant).ticker(clock::nanoTime).maximumKeys(100).build();

    for (int i = 0; i < 5; i++) {
      assertThat(limiter.tryAcquire("acme", 1)).isTrue();
    }
    assertThat(limiter.tryAcquire("acme", 1)).isFalse();
    assertThat(limiter.decide("globex", 1).allowed()).isTrue();
    assertThat(limiter.decideAsync("globex", 4).toCompletableFuture().join().remaining()).isZero();
  }

  @Test
  void idleKeysAreEvictedOnceTheirStateWouldReadAsNew() {
    InProcessRateLimiter limiter =
        InProcessRateLimiter.builder(perTenant).ticker(clock::nanoTime).maximumKeys(100).build();
    for (int i = 0; i < 50; i++) {
      limiter.tryAcquire("tenant-" + i, 1);
    }
    assertThat(limiter.keys()).isEqualTo(50);

    clock.advance(Duration.ofSeconds(2));
    limiter.tryAcquire("fresh", 1);

    assertThat(limiter.keys()).isEqualTo(1);
  }

  @Test
  void keysAreChecked() {
    InProcessRateLimiter limiter = InProcessRateLimiter.of(perTenant);

    assertThatThrownBy(() -> limiter.tryAcquire("", 1))
        .hasMessageStartingWith("key: must be 1 to 512");
    assertThatThrownBy(() -> limiter.tryAcquire("x".repeat(513), 1)).hasMessageContaining("513");
    assertThatThrownBy(() -> limiter.tryAcquire("{tag}", 1)).hasMessageContaining("'{' or '}'");
    assertThat(limiter.keys()).isZero();
  }

  @Test
  void manyThreadsOnOneKeyNeverGetMoreThanTheLimit() {
    RateLimit limit = RateLimit.slidingWindow("hot", 10_000, Duration.ofSeconds(1));
    InProcessRateLimiter limiter =
        InProcessRateLimiter.builder(limit).ticker(clock::nanoTime).maximumKeys(10).build();
    AtomicLong granted = new AtomicLong();
    Concurrently.run(
        16,
        thread -> {
          for (int i = 0; i < 2_000; i++) {
            if (limiter.tryAcquire("hot", 1 + i % 3)) {
              granted.addAndGet(1 + i % 3);
            }
          }
        });

    assertThat(granted.get()).isLessThanOrEqualTo(10_000).isGreaterThan(9_990);
  }
}
