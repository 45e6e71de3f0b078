package dev.keelson.leasing.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.leasing.LeaderElection;
import dev.keelson.leasing.LeadershipListener;
import dev.keelson.leasing.Leaser;
import dev.keelson.testing.FaultProxy;
import dev.keelson.testing.RedisServer;
import dev.keelson.testing.WithRedis;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A leader cut off from Redis by a partition that hangs its calls (Lettuce's default command
 * timeout is 60 s): it steps down at its own deadline, before the other candidate can be elected.
 */
@WithRedis
class PartitionedLeaderTest {

  private static final Duration TTL = Duration.ofSeconds(2);

  private final List<String> events = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService aliceThread = Executors.newSingleThreadScheduledExecutor();
  private final ScheduledExecutorService bobThread = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    aliceThread.shutdownNow();
    bobThread.shutdownNow();
  }

  private LeaderElection candidate(
      String name,
      StatefulRedisConnection<String, String> connection,
      String prefix,
      ScheduledExecutorService scheduler,
      CompletableFuture<Void> gained) {
    RedisLeaseStore store = RedisLeaseStore.builder(connection).keyPrefix(prefix).build();
    return LeaderElection.builder(Leaser.builder(store).owner(name).build(), "leader", scheduler)
        .ttl(TTL)
        .listener(
            new LeadershipListener() {
              @Override
              public void onGained(String election, long token) {
                events.add(name + " leads");
                gained.complete(null);
              }

              @Override
              public void onLost(String election) {
                events.add(name + " lost");
              }
            })
        .start();
  }

  @Test
  void thePartitionedLeaderStopsBeforeAnotherIsElected(RedisServer redis) throws Exception {
    try (FaultProxy proxy = FaultProxy.start(redis.host(), redis.port())) {
      StatefulRedisConnection<String, String> throughProxy =
          redis.client().connect(RedisURI.create(proxy.host(), proxy.port()));
      assertThat(throughProxy.getTimeout()).isEqualTo(Duration.ofSeconds(60));
      CompletableFuture<Void> aliceLeads = new CompletableFuture<>();
      LeaderElection alice =
          candidate("alice", throughProxy, redis.keyPrefix(), aliceThread, aliceLeads);
      aliceLeads.get(10, TimeUnit.SECONDS);
      CompletableFuture<Void> bobLeads = new CompletableFuture<>();
      LeaderElection bob =
          candidate("bob", redis.connect(), redis.keyPrefix(), bobThread, bobLeads);

      proxy.blackhole();
      bobLeads.get(20, TimeUnit.SECONDS);

      assertThat(events).containsExactly("alice leads", "alice lost", "bob leads");
      assertThat(alice.isLeader()).isFalse();
      assertThat(bob.isLeader()).isTrue();
      proxy.heal();
      bob.close();
      alice.close();
      throughProxy.close();
    }
  }
}
