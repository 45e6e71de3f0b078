package dev.keelson.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.FailurePolicy;
import dev.keelson.ratelimit.RateLimit;
import dev.keelson.testing.FaultProxy;
import dev.keelson.testing.ManualClock;
import io.lettuce.core.api.StatefulConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every failure policy answers every request a Redis limiter accepts while Redis is out, refused
 * (connections reset, new ones refused) or hung (nothing delivered): allowed, denied with a
 * retry-after, or decided locally; never an exception, even for a request larger than this JVM's
 * share of the limit.
 */
abstract class FailurePolicyContract {

  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration PROBE = Duration.ofSeconds(1);

  /** How Redis is out. */
  enum Outage {
    REFUSED,
    HUNG
  }

  final List<FaultProxy> proxies = new ArrayList<>();
  private final ManualClock clock = ManualClock.create();
  private final Events events = new Events();

  /** A new connection to Redis through {@link #proxies}, closed after the test. */
  abstract StatefulConnection<String, String> connectThroughProxies();

  abstract String prefix();

  /** Ends the outage, then closes the client (which waits for its connections to close). */
  abstract void shutDownClient();

  @AfterEach
  void healThenClose() {
    proxies.forEach(FaultProxy::heal);
    shutDownClient();
    proxies.forEach(FaultProxy::close);
  }

  private void cut(Outage outage) {
    for (FaultProxy proxy : proxies) {
      if (outage == Outage.HUNG) {
        proxy.blackhole();
      } else {
        proxy.refuseNew();
        proxy.resetAll();
      }
    }
  }

  static Stream<Arguments> outages() {
    List<Arguments> cases = new ArrayList<>();
    for (Outage outage : Outage.values()) {
      cases.add(Arguments.of("failOpen", FailurePolicy.failOpen(), outage));
      cases.add(Arguments.of("failClosed", FailurePolicy.failClosed(), outage));
      cases.add(Arguments.of("fallback-half", FailurePolicy.fallback(0.5), outage));
    }
    return cases.stream();
  }

  private <B extends RemoteLimiterBuilder<B>> B settings(B builder, FailurePolicy policy) {
    return builder
        .keyPrefix(prefix())
        .timeout(Duration.ofMillis(150))
        .failurePolicy(policy)
        .breaker(2, PROBE, Duration.ofSeconds(5))
        .ticker(clock::nanoTime)
        .listener(events);
  }

  @ParameterizedTest(name = "{0}, Redis {2}")
  @MethodSource("outages")
  void aLimiterAnswersEveryRequestItAccepts(String name, FailurePolicy policy, Outage outage) {
    RedisRateLimiter limiter =
        settings(
                RedisRateLimiter.builder(
                    connectThroughProxies(),
                    RateLimit.tokenBucket("out-" + name + "-" + outage, 10, MINUTE)),
                policy)
            .build();
    assertThat(limiter.decide("k", 1).remaining()).isEqualTo(9);

    cut(outage);

    assertAnswered(
        policy,
        (permits, async) ->
            async
                ? limiter.decideAsync("k", permits).toCompletableFuture().join()
                : limiter.decide("k", permits));
    assertToldByThePolicy("k");
  }

  @ParameterizedTest(name = "{0}, Redis {2}")
  @MethodSource("outages")
  void aHierarchyAnswersEveryRequestItAccepts(String name, FailurePolicy policy, Outage outage) {
    RedisRateLimitHierarchy limits =
        settings(
                RedisRateLimitHierarchy.builder(
                    connectThroughProxies(),
                    List.of(
                        RateLimit.tokenBucket("out-all-" + name + "-" + outage, 20, MINUTE),
                        RateLimit.tokenBucket("out-tenant-" + name + "-" + outage, 10, MINUTE))),
                policy)
            .build();
    assertThat(limits.decide(1, "all", "acme").remaining()).isEqualTo(9);

    cut(outage);

    assertAnswered(
        policy,
        (permits, async) ->
            async
                ? limits.decideAsync(permits, "all", "acme").toCompletableFuture().join()
                : limits.decide(permits, "all", "acme"));
    assertToldByThePolicy("acme");
  }

  /**
   * Redis decided the request before the outage, and was timed with the limiter's ticker (held
   * still here); the policy decided the 7 after it, whether the call failed or the breaker was
   * open, and none was timed.
   */
  private void assertToldByThePolicy(String key) {
    assertThat(events.log).startsWith("answered", "allowed by BACKEND for " + key);
    assertThat(events.latencies).containsExactly(0L);
    assertThat(events.count("allowed by FALLBACK") + events.count("denied by FALLBACK"))
        .isEqualTo(7);
    assertThat(events.count("allowed") + events.count("denied")).isEqualTo(8);
    assertThat(events.count("error")).as("the breaker opened after two").isEqualTo(2);
  }

  /**
   * Requests of 1 to 10 permits (the innermost limit), sync and async, while Redis is out. Under
   * {@code fallback(0.5)} this JVM enforces 5: a request for more is denied until the next probe.
   */
  private static void assertAnswered(
      FailurePolicy policy, BiFunction<Integer, Boolean, Decision> decide) {
    List<Integer> asked = List.of(1, 6, 10, 2, 7, 2, 1);
    for (int i = 0; i < asked.size(); i++) {
      int permits = asked.get(i);
      Decision decision = decide.apply(permits, i % 2 == 1);
      switch (policy.kind()) {
        case OPEN -> assertThat(decision.allowed()).as("%d permits", permits).isTrue();
        case CLOSED -> {
          assertThat(decision.allowed()).as("%d permits", permits).isFalse();
          assertThat(decision.retryAfter()).isEqualTo(PROBE);
        }
        case FALLBACK -> {
          if (permits > 5) {
            assertThat(decision.allowed()).as("%d permits", permits).isFalse();
            assertThat(decision.retryAfter()).isEqualTo(PROBE);
          } else {
            // Locally: 1, 2 and 2 fit the 5 this JVM enforces; the last one does not.
            assertThat(decision.allowed()).as("%d permits", permits).isEqualTo(i < 6);
          }
        }
      }
    }
  }
}
