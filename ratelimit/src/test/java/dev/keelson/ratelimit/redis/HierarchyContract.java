package dev.keelson.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.RateLimit;
import dev.keelson.testing.Concurrently;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A hierarchy never leaks: when a level denies, no level keeps the permits. */
abstract class HierarchyContract extends RedisRateLimiterContract {

  private static final Duration HOUR = Duration.ofHours(1);

  static RateLimit rule(dev.keelson.ratelimit.Algorithm algorithm, String name, long limit) {
    return switch (algorithm) {
      case TOKEN_BUCKET -> RateLimit.tokenBucket(name, limit, HOUR);
      case SLIDING_WINDOW -> RateLimit.slidingWindow(name, limit, HOUR);
      case SLIDING_LOG -> RateLimit.slidingLog(name, limit, HOUR);
      case FIXED_WINDOW -> RateLimit.fixedWindow(name, limit, HOUR);
    };
  }

  /**
   * These tests count on Redis answering: on a loaded machine the default 100 ms timeout would hand
   * decisions to the local fallback, which Redis does not count.
   */
  static final Duration GENEROUS = Duration.ofSeconds(10);

  private RedisRateLimitHierarchy hierarchy(RateLimit... levels) {
    RedisRateLimitHierarchy.Builder builder =
        RedisRateLimitHierarchy.builder(connect()).keyPrefix(prefix()).timeout(GENEROUS);
    for (RateLimit level : levels) {
      builder.level(level);
    }
    return builder.build();
  }

  @ParameterizedTest
  @EnumSource(dev.keelson.ratelimit.Algorithm.class)
  void aTenantLosesNothingWhenTheGlobalLevelDenies(dev.keelson.ratelimit.Algorithm algorithm) {
    RateLimit global = rule(algorithm, "global-" + algorithm.ordinal(), 5);
    RateLimit tenant = rule(algorithm, "tenant-" + algorithm.ordinal(), 100);
    RedisRateLimitHierarchy limits = hierarchy(global, tenant);

    int allowed = 0;
    Decision last = null;
    for (int i = 0; i < 10; i++) {
      last =
          i % 2 == 0
              ? limits.decide(1, "all", "acme")
              : limits.decideAsync(1, "all", "acme").toCompletableFuture().join();
      allowed += last.allowed() ? 1 : 0;
    }

    assertThat(allowed).isEqualTo(5);
    assertThat(last.policy()).isEqualTo(global.name());
    // The tenant level counted the 5 grants and nothing else.
    Decision tenantView =
        RedisRateLimiter.builder(connect(), tenant)
            .keyPrefix(prefix())
            .timeout(GENEROUS)
            .build()
            .decide("acme", 1);
    assertThat(tenantView.remaining()).isEqualTo(100 - 5 - 1);
  }

  @Test
  void manyCallersAcrossTenantsNeverLeakAtAnyLevel() {
    RateLimit global = RateLimit.fixedWindow("g", 100, HOUR);
    RateLimit tenant = RateLimit.fixedWindow("t", 40, HOUR);
    RedisRateLimitHierarchy limits = hierarchy(global, tenant);
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
      long counted = count(limits, tenant, "tenant-" + i);
      assertThat(counted)
          .as("tenant-%d counted", i)
          .isEqualTo(admitted.get(i))
          .isLessThanOrEqualTo(40);
      total += admitted.get(i);
    }
    // Racing for the last global permits, a request may be denied while another's permit is being
    // refunded: fewer than 100 may pass, never more, and each level counts exactly what passed.
    assertThat(total).isBetween(90L, 100L);
    assertThat(count(limits, global, "all")).isEqualTo(total);
  }

  @Test
  void badHierarchiesAreRejected() {
    assertThatThrownBy(
            () ->
                hierarchy(RateLimit.tokenBucket("a", 5, HOUR), RateLimit.fixedWindow("b", 5, HOUR)))
        .hasMessageContaining("one algorithm");
    assertThatThrownBy(
            () ->
                hierarchy(RateLimit.tokenBucket("a", 5, HOUR), RateLimit.tokenBucket("a", 9, HOUR)))
        .hasMessageContaining("used twice");
    RedisRateLimitHierarchy two =
        hierarchy(RateLimit.tokenBucket("a", 5, HOUR), RateLimit.tokenBucket("b", 9, HOUR));
    assertThatThrownBy(() -> two.decide(1, "only-one")).hasMessageContaining("one key per level");
    assertThatThrownBy(() -> two.decide(6, "x", "y")).hasMessageContaining("smallest level");
  }

  /** A fixed window's count, read straight from Redis. */
  private long count(RedisRateLimitHierarchy limits, RateLimit level, String key) {
    String redisKey = Scripts.redisKey(prefix(), level, key);
    String count = onNodeOf(redisKey, node -> node.hget(redisKey, "n"));
    return count == null ? 0 : Long.parseLong(count);
  }
}
