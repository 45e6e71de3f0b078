package dev.keelson.micrometer;

import static dev.keelson.micrometer.Meter.count;
import static dev.keelson.micrometer.Meter.decisions;
import static dev.keelson.micrometer.Meter.find;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.ratelimit.RateLimit;
import dev.keelson.ratelimit.redis.RedisRateLimitHierarchy;
import dev.keelson.ratelimit.redis.RedisRateLimiter;
import dev.keelson.testing.RedisClusterServer;
import dev.keelson.testing.WithRedisCluster;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** On a real Cluster: a limiter and a hierarchy whose levels live in different slots. */
@WithRedisCluster
class ClusterRateLimitMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RateLimitMetrics metrics = RateLimitMetrics.on(registry);

  @Test
  void decisionsOnAClusterAreCountedAndTimedOncePerDecision(RedisClusterServer cluster)
      throws Exception {
    try (StatefulRedisClusterConnection<String, String> connection = cluster.connect()) {
      RedisRateLimiter limiter =
          RedisRateLimiter.builder(
                  connection, RateLimit.fixedWindow("rule", 2, Duration.ofMinutes(1)))
              .name("api")
              .keyPrefix(cluster.keyPrefix())
              .withoutDenyCache()
              .listener(metrics)
              .build();
      RedisRateLimitHierarchy hierarchy =
          RedisRateLimitHierarchy.builder(
                  connection,
                  List.of(
                      RateLimit.fixedWindow("global", 100, Duration.ofMinutes(1)),
                      RateLimit.fixedWindow("tenant", 1, Duration.ofMinutes(1))))
              .name("tiers")
              .keyPrefix(cluster.keyPrefix())
              .listener(metrics)
              .build();

      for (int i = 0; i < 3; i++) {
        limiter.decide("k", 1);
        hierarchy.decide(1, "all", "tenant-" + (i == 2 ? 1 : 0) + "-x");
      }
      hierarchy.decideAsync(1, "all", "tenant-0-x").toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    assertThat(decisions(registry, "api", "allowed", "backend")).isEqualTo(2);
    assertThat(decisions(registry, "api", "denied", "backend")).isEqualTo(1);
    assertThat(decisions(registry, "tiers", "allowed", "backend"))
        .as("tenant-0 once, tenant-1 once")
        .isEqualTo(2);
    assertThat(decisions(registry, "tiers", "denied", "backend"))
        .as("tenant-0 twice more")
        .isEqualTo(2);
    Timer tiers = find(registry, "keelson.ratelimit.backend.latency", "name", "tiers").timer();
    assertThat(tiers.count()).as("one latency per decision, not per round trip").isEqualTo(4);
    assertThat(tiers.totalTime(TimeUnit.NANOSECONDS)).isPositive();
    assertThat(count(registry, "keelson.ratelimit.backend.errors", "name", "tiers")).isZero();
  }
}
