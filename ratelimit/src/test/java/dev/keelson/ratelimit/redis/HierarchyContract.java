package dev.keelson.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.RateLimit;
import dev.keelson.ratelimit.RateLimitListener;
import dev.keelson.testing.Concurrently;
import java.time.Duration;
import java.util.List;
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
    return RedisRateLimitHierarchy.builder(connect(), List.of(levels))
        .keyPrefix(prefix())
        .timeout(GENEROUS)
        .build();
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

  @ParameterizedTest
  @EnumSource(dev.keelson.ratelimit.Algorithm.class)
  void anInnerDenialGivesTheOuterLevelsBackExactlyWhatTheyTook(
      dev.keelson.ratelimit.Algorithm algorithm) {
    RateLimit global = rule(algorithm, "outer-" + algorithm.ordinal(), 100);
    RateLimit tenant = rule(algorithm, "inner-" + algorithm.ordinal(), 3);
    RedisRateLimitHierarchy limits = hierarchy(global, tenant);

    int allowed = 0;
    for (int i = 0; i < 10; i++) {
      Decision decision =
          i % 2 == 0
              ? limits.decide(2, "all", "acme")
              : limits.decideAsync(1, "all", "acme").toCompletableFuture().join();
      allowed += decision.allowed() ? (i % 2 == 0 ? 2 : 1) : 0;
    }

    assertThat(allowed).isEqualTo(3);
    // On a Cluster the outer level was taken, then refunded, for each of the denied requests:
    // it counts the 3 permits granted and nothing else.
    Decision globalView =
        RedisRateLimiter.builder(connect(), global)
            .keyPrefix(prefix())
            .timeout(GENEROUS)
            .build()
            .decide("all", 1);
    assertThat(globalView.remaining()).isEqualTo(100 - 3 - 1);
  }

  @Test
  void theListenerHearsEveryDecisionWithTheKeyOfTheLevelThatDecided() {
    Events events = new Events();
    RedisRateLimitHierarchy limits =
        RedisRateLimitHierarchy.builder(
                connect(),
                List.of(
                    RateLimit.tokenBucket("heard-global", 100, HOUR),
                    RateLimit.tokenBucket("heard-tenant", 2, HOUR)))
            .name("heard")
            .keyPrefix(prefix())
            .timeout(GENEROUS)
            // One that throws from every event first: a listener bug changes nothing.
            .listener(RateLimitListener.of(new ThrowingListener(), events))
            .build();

    assertThat(limits.decide(1, "all", "acme").allowed()).isTrue();
    assertThat(limits.decideAsync(1, "all", "acme").toCompletableFuture().join().allowed())
        .isTrue();
    assertThat(limits.decide(1, "all", "acme").allowed()).isFalse();
    assertThat(limits.decideAsync(1, "all", "acme").toCompletableFuture().join().allowed())
        .isFalse();

    // On a Cluster the levels are in different slots: one answer for all the round trips.
    assertThat(events.log)
        .containsExactly(
            "answered",
            "allowed by BACKEND for acme",
            "answered",
            "allowed by BACKEND for acme",
            "answered",
            "denied by BACKEND for acme",
            "answered",
            "denied by BACKEND for acme");
    assertThat(events.latencies).hasSize(4).allSatisfy(latency -> assertThat(latency).isPositive());
    assertThat(events.limiters).containsExactly("heard");
  }

  @Test
  void aHierarchyChecksEveryKeyBeforeItTakesAnyLevel() {
    RedisRateLimitHierarchy limits =
        hierarchy(
            RateLimit.fixedWindow("checked-g", 5, HOUR),
            RateLimit.fixedWindow("checked-t", 5, HOUR));

    assertThatThrownBy(() -> limits.decide(1, "all", "tenant-\uDC00"))
        .hasMessageStartingWith("keys[1]: has an unpaired surrogate");
    assertThatThrownBy(() -> limits.decideAsync(1, "all\uD800", "tenant"))
        .hasMessageStartingWith("keys[0]: has an unpaired surrogate");

    assertThat(count(limits, RateLimit.fixedWindow("checked-g", 5, HOUR), "all")).isZero();
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
    assertThatThrownBy(() -> two.decide(1, "only-one"))
        .hasMessage("keys.length: must be 2 (one key per level), not 1");
    assertThatThrownBy(() -> two.decide(6, "x", "y"))
        .hasMessage("permits: 6 is not in 1..5 (the smallest level's limit)");
  }

  /** A fixed window's count, read straight from Redis. */
  private long count(RedisRateLimitHierarchy limits, RateLimit level, String key) {
    String redisKey = Scripts.redisKey(prefix(), level, key);
    String count = onNodeOf(redisKey, node -> node.hget(redisKey, "n"));
    return count == null ? 0 : Long.parseLong(count);
  }
}
