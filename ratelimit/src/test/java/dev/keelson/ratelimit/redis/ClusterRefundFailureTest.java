package dev.keelson.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.ratelimit.Algorithm;
import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.FailurePolicy;
import dev.keelson.ratelimit.RateLimit;
import dev.keelson.ratelimit.RateLimitListener;
import dev.keelson.testing.RedisClusterServer;
import dev.keelson.testing.WithRedisCluster;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A hierarchy on a Cluster whose levels live in different slots takes them one by one and refunds
 * the outer ones when an inner one denies. When a refund fails, Redis has still denied the request:
 * it stays denied, whatever the failure policy would say.
 *
 * <p>The refunds fail for real: the limiter connects as a user that may run every command but the
 * ones only the refund script calls ({@code DEL}, {@code ZREM}, {@code HINCRBY}), so every take
 * works and every refund gets Redis's permission error.
 */
@WithRedisCluster
class ClusterRefundFailureTest {

  private static final String USER = "keelson-no-refunds";
  private static final String PASSWORD = "no-refunds";
  private static final Duration HOUR = Duration.ofHours(1);

  private RedisClusterServer cluster;
  private RedisClusterClient client;

  @BeforeEach
  void aUserThatCannotRefund(RedisClusterServer cluster) {
    this.cluster = cluster;
    cluster.forEachMaster(
        node ->
            node.aclSetuser(
                USER,
                new AclSetuserArgs()
                    .reset()
                    .on()
                    .addPassword(PASSWORD)
                    .allKeys()
                    .allChannels()
                    .allCommands()
                    .removeCommand(CommandType.DEL)
                    .removeCommand(CommandType.ZREM)
                    .removeCommand(CommandType.HINCRBY)));
    List<RedisURI> seeds =
        cluster.seeds().stream()
            .map(
                seed ->
                    RedisURI.builder(seed).withAuthentication(USER, PASSWORD.toCharArray()).build())
            .toList();
    client = RedisClusterClient.create(seeds);
  }

  @AfterEach
  void removeTheUser() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    cluster.forEachMaster(node -> node.aclDeluser(USER));
  }

  @ParameterizedTest
  @EnumSource(Algorithm.class)
  void aFailedRefundLeavesTheRequestDenied(Algorithm algorithm) {
    RateLimit tenant =
        HierarchyContract.rule(algorithm, "refused-tenant-" + algorithm.ordinal(), 1);
    // The tenant's one permit is gone, taken by a user that may do anything.
    assertThat(
            RedisRateLimiter.builder(cluster.connect(), tenant)
                .keyPrefix(cluster.keyPrefix())
                .timeout(HierarchyContract.GENEROUS)
                .build()
                .decide("acme", 1)
                .allowed())
        .isTrue();
    AtomicInteger backendErrors = new AtomicInteger();
    RedisRateLimitHierarchy limits =
        RedisRateLimitHierarchy.builder(
                client.connect(),
                List.of(
                    HierarchyContract.rule(algorithm, "refused-all-" + algorithm.ordinal(), 100),
                    tenant))
            .keyPrefix(cluster.keyPrefix())
            .timeout(HierarchyContract.GENEROUS)
            .failurePolicy(FailurePolicy.failOpen())
            .listener(
                new RateLimitListener() {
                  @Override
                  public void onBackendError(String limiter, Throwable error) {
                    backendErrors.incrementAndGet();
                  }
                })
            .build();

    // The global level grants, the tenant level denies, the global level's refund fails (a fresh
    // bucket given back its permit is deleted). Open or not, the request stays denied.
    Decision denied = limits.decide(1, "all", "acme");
    Decision deniedAsync = limits.decideAsync(1, "everyone", "acme").toCompletableFuture().join();

    assertThat(denied.allowed()).isFalse();
    assertThat(denied.policy()).isEqualTo(tenant.name());
    assertThat(deniedAsync.allowed()).isFalse();
    assertThat(backendErrors).as("the failed refunds, reported").hasValue(2);
  }
}
