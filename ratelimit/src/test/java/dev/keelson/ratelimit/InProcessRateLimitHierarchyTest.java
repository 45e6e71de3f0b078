package dev.keelson.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.testing.Concurrently;
import dev.keelson.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InProcessRateLimitHierarchyTest {

  private static final Duration HOUR = Duration.ofHours(1);
  private final ManualClock clock = ManualClock.create();

  static RateLimit rule(Algorithm algorithm, String name, long limit) {
    return switch (algorithm) {
      case TOKEN_BUCKET -> RateLimit.tokenBucket(name, limit, HOUR);
      case SLIDING_WINDOW -> RateLimit.slidingWindow(name, limit, HOUR);
      case SLIDING_LOG -> RateLimit.slidingLog(name, limit, HOUR);
      case FIXED_WINDOW -> RateLimit.fixedWindow(name, limit, HOUR);
    };
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void anInnerDenialLeavesTheOuterLevelsUntouched(Algorithm algorithm) {
    InProcessRateLimitHierarchy limits =
        InProcessRateLimitHierarchy.builder(
                List.of(rule(algorithm, "global", 100), rule(algorithm, "tenant", 3)))
            .ticker(clock::nanoTime)
            .maximumKeys(10)
            .build();

    for (int i = 0; i < 10; i++) {
      limits.decide(1, "all", "acme");
    }
    Decision denied = limits.decide(1, "all", "acme");

    assertThat(denied.allowed()).isFalse();
    assertThat(denied.policy()).isEqualTo("tenant");
    // Only the 3 grants count at the global level: 100 - 3 - 1 (this one) left.
    assertThat(limits.decide(1, "all", "globex").remaining()).isIn(96L, 2L);
    Decision globalView = limits.decide(1, "all", "initech");
    assertThat(globalView.allowed()).isTrue();
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void concurrentCallersNeverLeak(Algorithm algorithm) {
    InProcessRateLimitHierarchy limits =
        InProcessRateLimitHierarchy.builder(
                List.of(rule(algorithm, "global", 100), rule(algorithm, "tenant", 40)))
            .ticker(clock::nanoTime)
            .maximumKeys(10)
            .build();
    AtomicLongArray admitted = new AtomicLongArray(4);

    Concurrently.run(
        8,
        thread -> {
          for (int i = 0; i < 40; i++) {
            if (limits.decide(1, "all", "tenant-" + thread % 4).allowed()) {
              admitted.incrementAndGet(thread % 4);
            }
          }
        });

    long total = 0;
    for (int i = 0; i < 4; i++) {
      assertThat(admitted.get(i)).isLessThanOrEqualTo(40);
      total += admitted.get(i);
    }
    // A request that lost a race for the last global permit may be denied while that permit is
    // being refunded, so fewer than 100 may pass; never more, and none is lost for good: the
    // global level counts exactly what was admitted.
    assertThat(total).isBetween(90L, 100L);
    Decision probe = limits.decide(1, "all", "someone-new");
    assertThat(probe.allowed()).isEqualTo(total < 100);
    if (probe.allowed()) {
      assertThat(probe.remaining()).isEqualTo(Math.min(39, 100 - total - 1));
    }
  }

  @Test
  void badCallsAreRejected() {
    InProcessRateLimitHierarchy limits =
        InProcessRateLimitHierarchy.of(
            List.of(rule(Algorithm.TOKEN_BUCKET, "a", 5), rule(Algorithm.TOKEN_BUCKET, "b", 3)));

    assertThatThrownBy(() -> limits.decide(1, "only"))
        .hasMessage("keys.length: must be 2 (one key per level), not 1");
    assertThatThrownBy(() -> limits.decide(4, "x", "y"))
        .hasMessage("permits: 4 is not in 1..3 (the smallest level's limit)");
    assertThatThrownBy(() -> InProcessRateLimitHierarchy.of(List.of()))
        .hasMessageContaining("at least one level");
  }
}
