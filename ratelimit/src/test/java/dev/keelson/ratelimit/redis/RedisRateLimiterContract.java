package dev.keelson.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.DecisionSource;
import dev.keelson.ratelimit.RateLimit;
import dev.keelson.ratelimit.RateLimitListener;
import dev.keelson.testing.Concurrently;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every Redis deployment must give the Redis rate limiter. */
abstract class RedisRateLimiterContract {

  /** A new connection for this test class. */
  abstract StatefulConnection<String, String> connect();

  /** Runs a command against the node that holds {@code key}. */
  abstract <T> T onNodeOf(String key, Function<RedisCommands<String, String>, T> command);

  abstract void onEveryNode(Consumer<RedisCommands<String, String>> command);

  abstract String prefix();

  static List<RateLimit> limits() {
    // A minute, so that nothing refills between the steps of a test on a slow machine.
    Duration minute = Duration.ofMinutes(1);
    return List.of(
        RateLimit.tokenBucket("bucket", 10, minute),
        RateLimit.slidingWindow("sliding", 10, minute),
        RateLimit.slidingLog("log", 10, minute),
        RateLimit.fixedWindow("fixed", 10, Duration.ofSeconds(10)));
  }

  RedisRateLimiter limiter(RateLimit limit) {
    return RedisRateLimiter.builder(connect(), limit)
        .keyPrefix(prefix())
        .timeout(HierarchyContract.GENEROUS)
        .build();
  }

  @ParameterizedTest
  @MethodSource("limits")
  void grantsUpToTheLimitThenDeniesWithARetryAfter(RateLimit limit) {
    RedisRateLimiter limiter = limiter(limit);

    Decision first = limiter.decide("acme", 4);
    assertThat(first.allowed()).isTrue();
    assertThat(first.remaining()).isEqualTo(6);
    assertThat(limiter.decide("acme", 6).allowed()).isTrue();

    Decision denied = limiter.decide("acme", 1);
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.policy()).isEqualTo(limit.name());
    assertThat(denied.retryAfter()).isPositive().isLessThanOrEqualTo(limit.period());
    assertThat(limiter.decide("other", 10).allowed()).isTrue();
    assertThat(limiter.decideAsync("other", 1).toCompletableFuture().join().allowed()).isFalse();
  }

  @ParameterizedTest
  @MethodSource("limits")
  void everyKeyCarriesATtl(RateLimit limit) {
    RedisRateLimiter limiter = limiter(limit);

    limiter.decide("ttl", 3);

    String key = limiter.redisKey("ttl");
    long ttl = onNodeOf(key, node -> node.pttl(key));
    assertThat(ttl).isPositive().isLessThanOrEqualTo(2 * limit.period().toMillis() + 1);
  }

  @ParameterizedTest
  @MethodSource("limits")
  void aFlushedScriptCacheIsNoticedByNobody(RateLimit limit) {
    RedisRateLimiter limiter = limiter(limit);
    limiter.decide("flush", 1);

    onEveryNode(RedisCommands::scriptFlush);

    assertThat(limiter.decide("flush", 1).remaining()).isEqualTo(8);
  }

  @Test
  void manyConnectionsAndThreadsOnOneKeyNeverExceedCapacityPlusRefill() throws Exception {
    RateLimit limit = RateLimit.tokenBucket("hot", 200, Duration.ofSeconds(1));
    List<RedisRateLimiter> limiters = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      limiters.add(limiter(limit));
    }
    AtomicLong granted = new AtomicLong();
    long begin = System.nanoTime();
    Concurrently.run(
        16,
        thread -> {
          RedisRateLimiter limiter = limiters.get(thread % limiters.size());
          for (int i = 0; i < 150; i++) {
            if (limiter.tryAcquire("hot", 1)) {
              granted.incrementAndGet();
            }
          }
        });
    double elapsedSeconds = (System.nanoTime() - begin) / 1e9;

    assertThat(granted.get()).isLessThanOrEqualTo((long) (200 + 200 * elapsedSeconds) + 1);
    assertThat(granted.get()).isGreaterThanOrEqualTo(200);
  }

  @Test
  void keysWithAnUnpairedSurrogateAreRejectedBeforeAnythingIsCounted() {
    RedisRateLimiter limiter = limiter(limits().get(0));

    // Lettuce would send both as "user-?": one count for two keys.
    for (String key : List.of("user-\uD800", "user-\uDC00")) {
      assertThatThrownBy(() -> limiter.decide(key, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("key: has an unpaired surrogate");
      assertThatThrownBy(() -> limiter.decideAsync(key, 1))
          .hasMessageStartingWith("key: has an unpaired surrogate");
    }

    String collided = limiter.redisKey("user-?");
    long stored = onNodeOf(collided, node -> node.exists(collided));
    assertThat(stored).isZero();
    assertThat(limiter.decide("user-\uD83D\uDE00", 1).remaining()).isEqualTo(9);
  }

  /** A listener whose every method throws, after counting the decisions it heard. */
  static final class ThrowingListener implements RateLimitListener {
    final AtomicInteger decisions = new AtomicInteger();
    final AtomicInteger errors = new AtomicInteger();

    @Override
    public void onDecision(String limiter, String key, Decision decision, DecisionSource source) {
      decisions.incrementAndGet();
      throw new IllegalStateException("a listener bug");
    }

    @Override
    public void onShadowAllowed(String limiter, String key, Decision denial) {
      throw new IllegalStateException("a listener bug");
    }

    @Override
    public void onBackendAnswered(String limiter, long latencyNanos) {
      throw new IllegalStateException("a listener bug");
    }

    @Override
    public void onBackendError(String limiter, Throwable error) {
      errors.incrementAndGet();
      throw new IllegalStateException("a listener bug");
    }

    @Override
    public void onFallbackEntered(String limiter, Throwable cause) {
      throw new IllegalStateException("a listener bug");
    }

    @Override
    public void onFallbackLeft(String limiter) {
      throw new IllegalStateException("a listener bug");
    }
  }

  @ParameterizedTest
  @MethodSource("limits")
  void aListenerThatThrowsChangesNoDecision(RateLimit limit) {
    ThrowingListener listener = new ThrowingListener();
    RedisRateLimiter limiter =
        RedisRateLimiter.builder(connect(), limit)
            .keyPrefix(prefix())
            .timeout(HierarchyContract.GENEROUS)
            .listener(listener)
            .withoutDenyCache()
            .build();

    assertThat(limiter.decide("noisy", 6).remaining()).isEqualTo(4);
    assertThat(limiter.decideAsync("noisy", 4).toCompletableFuture().join().remaining()).isZero();
    // Redis denies both; a throwing listener must not hand them to the fallback, which allows.
    assertThat(limiter.decide("noisy", 1).allowed()).isFalse();
    assertThat(limiter.decideAsync("noisy", 1).toCompletableFuture().join().allowed()).isFalse();

    assertThat(listener.decisions).hasValue(4);
    assertThat(listener.errors).hasValue(0);
  }

  @Test
  void theListenerHearsWhoDecidedAndHowLongRedisTook() {
    Events events = new Events();
    RedisRateLimiter limiter =
        RedisRateLimiter.builder(
                connect(), RateLimit.tokenBucket("sourced", 2, Duration.ofHours(1)))
            .name("sourced")
            .keyPrefix(prefix())
            .timeout(HierarchyContract.GENEROUS)
            .listener(events)
            .build();

    assertThat(limiter.decide("acme", 2).allowed()).isTrue();
    assertThat(limiter.decideAsync("acme", 1).toCompletableFuture().join().allowed()).isFalse();
    // Within the retry-after, this JVM knows the answer: no round trip.
    assertThat(limiter.decide("acme", 1).allowed()).isFalse();
    assertThat(limiter.decideAsync("acme", 2).toCompletableFuture().join().allowed()).isFalse();

    assertThat(events.log)
        .containsExactly(
            "answered",
            "allowed by BACKEND for acme",
            "answered",
            "denied by BACKEND for acme",
            "denied by DENY_CACHE for acme",
            "denied by DENY_CACHE for acme");
    assertThat(events.latencies).hasSize(2).allSatisfy(latency -> assertThat(latency).isPositive());
    assertThat(events.limiters).containsExactly("sourced");
  }

  @Test
  void inShadowModeADenialIsToldThenLetThrough() {
    Events events = new Events();
    RedisRateLimiter limiter =
        RedisRateLimiter.builder(
                connect(), RateLimit.fixedWindow("shadowed", 1, Duration.ofHours(1)))
            .keyPrefix(prefix())
            .timeout(HierarchyContract.GENEROUS)
            .withoutDenyCache()
            .shadow(true)
            .listener(events)
            .build();

    assertThat(limiter.decide("acme", 1).allowed()).isTrue();
    Decision letThrough = limiter.decideAsync("acme", 1).toCompletableFuture().join();

    assertThat(letThrough.allowed()).isTrue();
    assertThat(letThrough.policy()).isEqualTo("shadowed");
    assertThat(events.log)
        .containsExactly(
            "answered",
            "allowed by BACKEND for acme",
            "answered",
            "denied by BACKEND for acme",
            "shadow-allowed acme");
  }

  @Test
  void badSettingsAreRejected() {
    assertThatThrownBy(
            () -> RedisRateLimiter.builder(connect(), limits().get(0)).keyPrefix("bad prefix{"))
        .hasMessageStartingWith("keyPrefix: ");
    assertThatThrownBy(
            () ->
                RedisRateLimiter.builder(
                        connect(), RateLimit.tokenBucket("fast", 2_000_000, Duration.ofSeconds(1)))
                    .build())
        .hasMessageContaining("one permit per microsecond");
    assertThatThrownBy(() -> limiter(limits().get(0)).decide("{x}", 1)).hasMessageContaining("'{'");
  }
}
