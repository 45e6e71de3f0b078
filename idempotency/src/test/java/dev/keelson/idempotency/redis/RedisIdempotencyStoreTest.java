package dev.keelson.idempotency.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.idempotency.Fingerprint;
import dev.keelson.idempotency.IdempotencyKey;
import dev.keelson.idempotency.IdempotencyStore;
import dev.keelson.idempotency.IdempotencyStoreContract;
import dev.keelson.testing.RedisServer;
import dev.keelson.testing.ServerTime;
import dev.keelson.testing.WithRedis;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@WithRedis
class RedisIdempotencyStoreTest extends IdempotencyStoreContract {

  private final RedisServer redis;
  private final RedisIdempotencyStore store;

  RedisIdempotencyStoreTest(RedisServer redis) {
    this.redis = redis;
    this.store =
        RedisIdempotencyStore.builder(redis.connect()).keyPrefix(redis.keyPrefix()).build();
  }

  @Override
  protected IdempotencyStore store() {
    return store;
  }

  @Override
  protected void letPass(Duration duration) {
    ServerTime.letPass(duration);
  }

  @Test
  void everyRecordCarriesItsRetentionAsATtl() {
    IdempotencyKey key = IdempotencyKey.of("tenant:7", "k1");
    store.begin(
        key,
        Fingerprint.builder().add("body", "x").build(),
        "owner",
        Duration.ofSeconds(1),
        Duration.ofHours(1));

    long ttl = redis.connect().sync().pttl(redis.keyPrefix() + "idem:8:tenant:7:k1");

    assertThat(ttl).isBetween(Duration.ofMinutes(59).toMillis(), Duration.ofHours(1).toMillis());
  }

  @Test
  void badSettingsAreRejectedByName() {
    assertThatThrownBy(() -> RedisIdempotencyStore.builder(redis.connect()).keyPrefix("{x}"))
        .hasMessageStartingWith("keyPrefix: ");
    assertThatThrownBy(() -> RedisIdempotencyStore.builder(redis.connect()).timeout(Duration.ZERO))
        .hasMessageStartingWith("timeout: ");
  }
}
