package dev.keelson.micrometer;

import static dev.keelson.micrometer.Meter.count;
import static dev.keelson.micrometer.Meter.decisions;
import static dev.keelson.micrometer.Meter.find;
import static dev.keelson.micrometer.Meter.gauge;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.core.Ticker;
import dev.keelson.ratelimit.FailurePolicy;
import dev.keelson.ratelimit.InProcessRateLimiter;
import dev.keelson.ratelimit.RateLimit;
import dev.keelson.ratelimit.redis.RedisRateLimiter;
import dev.keelson.testing.FaultProxy;
import dev.keelson.testing.RedisServer;
import dev.keelson.testing.WithRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A Redis limiter through its outcomes, and an outage through the fault proxy, read as meters. */
@WithRedis
class RateLimitMetricsTest {

  private static final Duration PROBE = Duration.ofSeconds(1);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RateLimitMetrics metrics = RateLimitMetrics.on(registry);
  // Real time, so that latencies are real, plus what the test skips ahead (the breaker's probes).
  private final AtomicLong skipped = new AtomicLong();
  private final Ticker ticker = () -> System.nanoTime() + skipped.get();
  private RedisServer redis;
  private FaultProxy proxy;
  private RedisClient client;
  private StatefulRedisConnection<String, String> connection;

  @BeforeEach
  void connectThroughAProxy(RedisServer redis) {
    this.redis = redis;
    proxy = FaultProxy.start(redis.host(), redis.port());
    client = RedisClient.create();
    connection = client.connect(RedisURI.create(proxy.host(), proxy.port()));
  }

  @AfterEach
  void close() {
    proxy.heal();
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    proxy.close();
  }

  private RedisRateLimiter.Builder limiter(String name) {
    return RedisRateLimiter.builder(
            connection, RateLimit.fixedWindow(name + "-rule", 3, Duration.ofMinutes(1)))
        .name(name)
        .keyPrefix(redis.keyPrefix())
        .timeout(Duration.ofMillis(150))
        .failurePolicy(FailurePolicy.failClosed())
        .breaker(2, PROBE, Duration.ZERO)
        .ticker(ticker)
        .listener(metrics);
  }

  @Test
  void decisionsAreCountedByOutcomeAndSourceAndTheBackendIsTimed() {
    RedisRateLimiter limiter = limiter("api").build();

    for (int i = 0; i < 3; i++) {
      assertThat(limiter.decide("tenant-1", 1).allowed()).isTrue();
    }
    assertThat(limiter.decide("tenant-1", 1).allowed()).isFalse(); // Redis denies
    assertThat(limiter.decide("tenant-1", 1).allowed()).isFalse(); // the deny cache answers

    assertThat(decisions(registry, "api", "allowed", "backend")).isEqualTo(3);
    assertThat(decisions(registry, "api", "denied", "backend")).isEqualTo(1);
    assertThat(decisions(registry, "api", "denied", "deny_cache")).isEqualTo(1);
    Timer latency = find(registry, "keelson.ratelimit.backend.latency", "name", "api").timer();
    assertThat(latency.count()).as("one per decision Redis made").isEqualTo(4);
    assertThat(latency.totalTime(TimeUnit.NANOSECONDS)).isPositive();
    assertThat(gauge(registry, "keelson.ratelimit.breaker.open", "name", "api")).isZero();
    assertThat(decisions(registry, "api", "denied", "fallback"))
        .as("registered with the limiter's first decision, so its first increase is seen")
        .isZero();
    assertThat(registry.getMeters())
        .as("no meter carries the key")
        .allSatisfy(
            meter -> assertThat(meter.getId().getTags().toString()).doesNotContain("tenant"));
  }

  @Test
  void anOutageOpensTheBreakerGaugeAndTheFallbackDecides() {
    RedisRateLimiter limiter = limiter("checkout").build();
    assertThat(limiter.decide("a", 1).allowed()).isTrue();
    assertThat(metrics.health())
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.status()).isEqualTo(HealthStatus.UP);
              assertThat(h.details()).containsEntry("breaker", "closed");
            });

    proxy.blackhole(); // Redis hangs: every call times out
    assertThat(limiter.decide("a", 1).allowed()).as("fail closed").isFalse();
    assertThat(limiter.decide("b", 1).allowed()).isFalse();
    assertThat(limiter.decide("c", 1).allowed()).as("the breaker is open: no call").isFalse();

    assertThat(gauge(registry, "keelson.ratelimit.breaker.open", "name", "checkout")).isEqualTo(1);
    assertThat(count(registry, "keelson.ratelimit.backend.errors", "name", "checkout"))
        .isEqualTo(2);
    assertThat(decisions(registry, "checkout", "denied", "fallback")).isEqualTo(3);
    assertThat(
            find(registry, "keelson.ratelimit.backend.latency", "name", "checkout").timer().count())
        .as("failed calls are errors, not latencies")
        .isEqualTo(1);
    assertThat(metrics.health())
        .singleElement()
        .satisfies(
            h -> {
              assertThat(h.status()).isEqualTo(HealthStatus.DOWN);
              assertThat(h.component()).isEqualTo("ratelimit");
              assertThat(h.name()).isEqualTo("checkout");
              assertThat(h.details()).containsEntry("breaker", "open").containsKey("cause");
            });

    proxy.heal();
    skipped.addAndGet(PROBE.toNanos()); // a probe is due: it starts the recovery
    assertThat(limiter.decide("d", 1).allowed()).as("the probe reaches Redis").isTrue();
    assertThat(gauge(registry, "keelson.ratelimit.breaker.open", "name", "checkout"))
        .as("recovering: still open")
        .isEqualTo(1);
    skipped.addAndGet(PROBE.toNanos()); // a second probe, after the (zero) stable period
    assertThat(limiter.decide("e", 1).allowed()).isTrue();

    assertThat(gauge(registry, "keelson.ratelimit.breaker.open", "name", "checkout")).isZero();
    assertThat(decisions(registry, "checkout", "allowed", "backend")).isEqualTo(3);
    assertThat(metrics.health())
        .singleElement()
        .extracting(Health::status)
        .isEqualTo(HealthStatus.UP);
  }

  @Test
  void shadowModeCountsTheDenialAndTheLetThrough() {
    RedisRateLimiter limiter = limiter("shadowed").shadow(true).withoutDenyCache().build();

    for (int i = 0; i < 5; i++) {
      assertThat(limiter.decide("k", 1).allowed()).as("shadow mode never denies").isTrue();
    }

    assertThat(decisions(registry, "shadowed", "allowed", "backend")).isEqualTo(3);
    assertThat(decisions(registry, "shadowed", "denied", "backend")).as("as decided").isEqualTo(2);
    assertThat(count(registry, "keelson.ratelimit.shadow.allowed", "name", "shadowed"))
        .isEqualTo(2);
  }

  @Test
  void twoLimitersOfOneNameShowTheBreakerOpenWhileEitherIsOpen() {
    RuntimeException down = new IllegalStateException("down");
    metrics.onFallbackEntered("shared", down);
    metrics.onFallbackEntered("shared", down);
    metrics.onFallbackLeft("shared");

    assertThat(gauge(registry, "keelson.ratelimit.breaker.open", "name", "shared")).isEqualTo(1);
    assertThat(metrics.health())
        .singleElement()
        .extracting(Health::status)
        .isEqualTo(HealthStatus.DOWN);
    metrics.onFallbackLeft("shared");
    metrics.onFallbackLeft("shared"); // one too many: never below zero
    assertThat(gauge(registry, "keelson.ratelimit.breaker.open", "name", "shared")).isZero();
  }

  @Test
  void inProcessLimitersAreCountedAsInProcess() {
    InProcessRateLimiter limiter =
        InProcessRateLimiter.builder(RateLimit.tokenBucket("local", 2, Duration.ofMinutes(1)))
            .listener(metrics)
            .build();

    limiter.decide("x", 1);
    limiter.decide("x", 1);
    limiter.decide("x", 1);

    assertThat(decisions(registry, "local", "allowed", "in_process")).isEqualTo(2);
    assertThat(decisions(registry, "local", "denied", "in_process")).isEqualTo(1);
    assertThat(registry.find("keelson.ratelimit.decisions").tags("source", "backend").meters())
        .as("an in-process limiter has no backend series")
        .isEmpty();
    assertThat(metrics.health()).as("nor a backend's health").isEmpty();
  }
}
