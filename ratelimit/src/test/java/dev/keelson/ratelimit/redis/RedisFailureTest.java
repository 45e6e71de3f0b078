package dev.keelson.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.FailurePolicy;
import dev.keelson.ratelimit.RateLimit;
import dev.keelson.testing.FaultProxy;
import dev.keelson.testing.ManualClock;
import dev.keelson.testing.RedisServer;
import dev.keelson.testing.WithRedis;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The failure policies, the breaker and the deny cache, with Redis really failing. */
@WithRedis(dedicated = true)
class RedisFailureTest {

  private static final RateLimit TEN = RateLimit.tokenBucket("ten", 10, Duration.ofMinutes(1));

  private final ManualClock clock = ManualClock.create();
  private final Events events = new Events();
  private FaultProxy proxy;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;

  @BeforeEach
  void connectThroughAProxy(RedisServer redis) {
    proxy = FaultProxy.start(redis.host(), redis.port());
    client = RedisClient.create();
    client.setOptions(
        ClientOptions.builder()
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .build());
    connection = client.connect(RedisURI.create(proxy.host(), proxy.port()));
  }

  @AfterEach
  void disconnect() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    proxy.close();
  }

  private RedisRateLimiter limiter(FailurePolicy policy, RedisServer redis) {
    return RedisRateLimiter.builder(connection, TEN)
        .name("payments")
        .keyPrefix(redis.keyPrefix())
        .timeout(Duration.ofMillis(150))
        .failurePolicy(policy)
        .breaker(2, Duration.ofSeconds(1), Duration.ofSeconds(5))
        .ticker(clock::nanoTime)
        .listener(events)
        .build();
  }

  @Test
  void failOpenAllowsWhileRedisIsBlackholedAndTheBreakerStopsCallingIt(RedisServer redis) {
    RedisRateLimiter limiter = limiter(FailurePolicy.failOpen(), redis);
    assertThat(limiter.decide("a", 1).remaining()).isEqualTo(9);

    proxy.blackhole();
    for (int i = 0; i < 20; i++) {
      assertThat(limiter.decide("a", 1).allowed()).isTrue();
    }

    // Two timeouts opened the breaker; the other 18 calls never went to Redis.
    assertThat(events.count("error")).isEqualTo(2);
    assertThat(events.count("fallback entered")).isEqualTo(1);
    assertThat(events.limiters).containsExactly("payments");
    // The policy decided all 20, after a failed call or with the breaker open; Redis answered one.
    assertThat(events.count("allowed by FALLBACK")).isEqualTo(20);
    assertThat(events.log).startsWith("answered", "allowed by BACKEND for a");
    assertThat(events.count("answered")).isEqualTo(1);
  }

  @Test
  void aListenerThatThrowsNeitherFailsTheCallerNorKeepsTheBreakerClosed(RedisServer redis) {
    RedisRateLimiterContract.ThrowingListener throwing =
        new RedisRateLimiterContract.ThrowingListener();
    RedisRateLimiter limiter =
        RedisRateLimiter.builder(connection, TEN)
            .keyPrefix(redis.keyPrefix())
            .timeout(Duration.ofMillis(150))
            .failurePolicy(FailurePolicy.failOpen())
            .breaker(2, Duration.ofSeconds(1), Duration.ofSeconds(5))
            .ticker(clock::nanoTime)
            .listener(throwing)
            .build();

    proxy.blackhole();
    for (int i = 0; i < 10; i++) {
      assertThat(
              i % 2 == 0
                  ? limiter.decide("a", 1).allowed()
                  : limiter.decideAsync("a", 1).toCompletableFuture().join().allowed())
          .isTrue();
    }

    // Two timeouts opened the breaker although the listener threw from every event.
    assertThat(throwing.errors).hasValue(2);
    assertThat(throwing.decisions).hasValue(10);
  }

  @Test
  void failClosedDeniesWhileRedisIsDown(RedisServer redis) {
    RedisRateLimiter limiter = limiter(FailurePolicy.failClosed(), redis);
    proxy.refuseNew();
    proxy.resetAll();

    Decision decision = limiter.decide("a", 1);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.retryAfter()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void theFallbackEnforcesTheLocalShareThenHandsBackAfterAStablePeriod(RedisServer redis) {
    RedisRateLimiter limiter = limiter(FailurePolicy.fallback(0.5), redis);
    limiter.decide("a", 1);
    proxy.blackhole();

    int allowed = 0;
    for (int i = 0; i < 10; i++) {
      allowed += limiter.decide("b", 1).allowed() ? 1 : 0;
    }
    assertThat(allowed).isEqualTo(5);

    proxy.heal();
    clock.advance(Duration.ofSeconds(1));
    // A probe succeeds: recovering, but not yet trusted.
    assertThat(limiter.decide("c", 1).remaining()).isEqualTo(9);
    assertThat(events.log).doesNotContain("fallback left");
    clock.advance(Duration.ofSeconds(5));
    limiter.decide("c", 1);
    assertThat(events.log).contains("fallback left");
    assertThat(limiter.decide("c", 1).remaining()).isEqualTo(7);
  }

  @Test
  void aKilledRedisFallsBackAndARestartedOneIsUsedAgain(RedisServer redis) {
    RedisRateLimiter limiter = limiter(FailurePolicy.fallback(1.0), redis);
    limiter.decide("k", 3);

    redis.control().kill();
    for (int i = 0; i < 5; i++) {
      assertThat(
              i % 2 == 0
                  ? limiter.decide("k", 1).allowed()
                  : limiter.decideAsync("k", 1).toCompletableFuture().join().allowed())
          .isTrue();
    }
    assertThat(events.count("fallback entered")).isEqualTo(1);
    assertThat(events.count("allowed by FALLBACK")).isEqualTo(5);
    assertThat(events.count("answered")).as("only Redis's answer is timed").isEqualTo(1);

    redis.control().start();
    awaitReconnected();
    clock.advance(Duration.ofSeconds(1));
    limiter.decide("k", 1);
    clock.advance(Duration.ofSeconds(5));
    limiter.decide("k", 1);
    assertThat(events.log).contains("fallback left");
    assertThat(events.log).endsWith("answered", "fallback left", "allowed by BACKEND for k");
  }

  @Test
  void aDeniedKeyIsDeniedLocallyWithoutARoundTripUntilItsRetryAfter(RedisServer redis) {
    RedisRateLimiter limiter = limiter(FailurePolicy.failOpen(), redis);
    limiter.decide("abuser", 10);
    Decision denied = limiter.decide("abuser", 1);
    assertThat(denied.allowed()).isFalse();

    // Redis goes away; the known denial is still served, locally.
    proxy.blackhole();
    for (int i = 0; i < 100; i++) {
      assertThat(
              i % 2 == 0
                  ? limiter.decide("abuser", 1).allowed()
                  : limiter.decideAsync("abuser", 1).toCompletableFuture().join().allowed())
          .isFalse();
    }
    assertThat(events.count("error")).isZero();
    assertThat(events.count("denied by BACKEND for abuser")).isEqualTo(1);
    assertThat(events.count("denied by DENY_CACHE for abuser")).isEqualTo(100);
    assertThat(events.count("answered")).as("no round trip, nothing timed").isEqualTo(2);

    clock.advance(denied.retryAfter());
    assertThat(limiter.decide("abuser", 1).allowed()).isTrue();
    assertThat(events.count("error")).isEqualTo(1);
    assertThat(events.log).endsWith("error", "allowed by FALLBACK for abuser");
  }

  @Test
  void shadowModeReportsDenialsButNeverDenies(RedisServer redis) {
    RedisRateLimiter limiter =
        RedisRateLimiter.builder(connection, TEN)
            .keyPrefix(redis.keyPrefix())
            .shadow(true)
            .ticker(clock::nanoTime)
            .listener(events)
            .build();

    for (int i = 0; i < 15; i++) {
      assertThat(
              i % 2 == 0
                  ? limiter.decide("tried", 1).allowed()
                  : limiter.decideAsync("tried", 1).toCompletableFuture().join().allowed())
          .isTrue();
    }

    assertThat(events.count("allowed")).isEqualTo(10);
    assertThat(events.count("denied")).isEqualTo(5);
    // Each denial is told as it was, then as let through; the deny cache answers the later ones.
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      expected.addAll(List.of("answered", "allowed by BACKEND for tried"));
    }
    expected.addAll(List.of("answered", "denied by BACKEND for tried", "shadow-allowed tried"));
    for (int i = 0; i < 4; i++) {
      expected.addAll(List.of("denied by DENY_CACHE for tried", "shadow-allowed tried"));
    }
    assertThat(events.log).isEqualTo(expected);
  }

  @Test
  void aHierarchyFallsBackToEveryLevelInThisJvm(RedisServer redis) {
    RedisRateLimitHierarchy layers =
        RedisRateLimitHierarchy.builder(
                connection,
                List.of(
                    RateLimit.tokenBucket("global", 6, Duration.ofMinutes(1)),
                    RateLimit.tokenBucket("tenant", 4, Duration.ofMinutes(1))))
            .name("layers")
            .keyPrefix(redis.keyPrefix())
            .timeout(Duration.ofMillis(150))
            .breaker(2, Duration.ofSeconds(1), Duration.ofSeconds(5))
            .ticker(clock::nanoTime)
            .listener(events)
            .build();
    assertThat(layers.decide(1, "all", "acme").allowed()).isTrue();

    proxy.blackhole();
    int allowed = 0;
    for (int i = 0; i < 10; i++) {
      allowed += layers.decide(1, "all", i % 2 == 0 ? "acme" : "globex").allowed() ? 1 : 0;
    }

    // In this JVM: 4 per tenant, 6 in all.
    assertThat(allowed).isEqualTo(6);
    assertThat(events.count("fallback entered")).isEqualTo(1);
    assertThat(events.count("error")).isEqualTo(2);
    assertThat(events.limiters).containsExactly("layers");
    assertThat(events.count("allowed by FALLBACK")).isEqualTo(6);
    assertThat(events.count("denied by FALLBACK")).isEqualTo(4);
    assertThat(events.count("answered")).isEqualTo(1);
  }

  private void awaitReconnected() {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!connection.isOpen()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the connection did not come back after the restart");
      }
      Thread.onSpinWait();
    }
  }
}
