package dev.keelson.idempotency.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.core.EvictionCheck;
import dev.keelson.testing.RedisServer;
import dev.keelson.testing.WithRedis;
import org.junit.jupiter.api.Test;

/** The store refuses a Redis that may evict its records, unless told the risk is accepted. */
@WithRedis(dedicated = true)
class EvictingRedisIdempotencyTest {

  @Test
  void aRedisThatMayEvictRecordsIsRefusedUnlessTheRiskIsAccepted(RedisServer redis) {
    var connection = redis.connect();
    connection.sync().configSet("maxmemory", "1gb");
    connection.sync().configSet("maxmemory-policy", "allkeys-lfu");

    assertThatThrownBy(() -> RedisIdempotencyStore.builder(connection).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("maxmemory-policy allkeys-lfu")
        .hasMessageContaining("idempotency store");
    assertThat(RedisIdempotencyStore.builder(connection).evictionCheck(EvictionCheck.WARN).build())
        .isNotNull();
  }
}
