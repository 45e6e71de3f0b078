package dev.keelson.leasing.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.leasing.LeaseStore;
import dev.keelson.testing.RedisServer;
import dev.keelson.testing.WithRedis;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Fencing tokens keep increasing across a Redis restart. */
@WithRedis(appendOnly = true)
class RedisLeaseRestartTest {

  @Test
  void tokensKeepIncreasingAcrossAKillAndRestart(RedisServer redis) {
    StatefulRedisConnection<String, String> connection = redis.connect();
    RedisLeaseStore store =
        RedisLeaseStore.builder(connection).keyPrefix(redis.keyPrefix()).build();
    LeaseStore.Grant before =
        store
            .tryAcquire("job", "alice", Duration.ofMinutes(5), Duration.ofSeconds(10))
            .orElseThrow();
    store.release(before, Duration.ofSeconds(10));

    redis.control().kill();
    redis.control().start();

    LeaseStore.Grant after =
        store.tryAcquire("job", "bob", Duration.ofMinutes(5), Duration.ofSeconds(10)).orElseThrow();
    assertThat(after.token()).isGreaterThan(before.token());
  }
}
