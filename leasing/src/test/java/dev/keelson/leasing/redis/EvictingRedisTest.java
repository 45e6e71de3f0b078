package dev.keelson.leasing.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.core.EvictionCheck;
import dev.keelson.testing.RedisServer;
import dev.keelson.testing.WithRedis;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Leases, fences and task queues refuse a Redis that may evict their keys, unless told not to. */
@WithRedis(dedicated = true)
class EvictingRedisTest {

  private StatefulRedisConnection<String, String> connection;

  @BeforeEach
  void evicting(RedisServer redis) {
    connection = redis.connect();
    connection.sync().configSet("maxmemory", "1gb"); // without a limit nothing is ever evicted
    connection.sync().configSet("maxmemory-policy", "volatile-lru");
  }

  @AfterEach
  void notEvicting() {
    connection.sync().configSet("maxmemory-policy", "noeviction");
    connection.sync().configSet("maxmemory", "0");
  }

  @Test
  void everyComponentRefusesByDefault() {
    assertThatThrownBy(() -> RedisLeaseStore.on(connection))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maxmemory-policy volatile-lru")
        .hasMessageContaining("lease store");
    assertThatThrownBy(() -> RedisFence.on(connection)).hasMessageContaining("fence");
    assertThatThrownBy(() -> RedisTaskQueue.builder(connection).build())
        .hasMessageContaining("task queue");
  }

  @Test
  void aWarningIsEnoughWhenTheUserAcceptsTheRisk() {
    RedisLeaseStore leases =
        RedisLeaseStore.builder(connection).evictionCheck(EvictionCheck.WARN).build();
    RedisFence fence = RedisFence.builder(connection).evictionCheck(EvictionCheck.WARN).build();
    RedisTaskQueue tasks =
        RedisTaskQueue.builder(connection).evictionCheck(EvictionCheck.SKIP).build();

    assertThat(leases.tryAcquire("job", "me", Duration.ofSeconds(5), Duration.ofSeconds(5)))
        .isPresent();
    assertThat(fence.set("report", "v", 1, Duration.ofSeconds(5))).isTrue();
    assertThat(tasks.enqueue("q", new byte[] {1})).isPositive();
  }
}
