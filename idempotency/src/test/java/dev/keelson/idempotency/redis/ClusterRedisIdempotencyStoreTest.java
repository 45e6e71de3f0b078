package dev.keelson.idempotency.redis;

import dev.keelson.idempotency.IdempotencyStore;
import dev.keelson.idempotency.IdempotencyStoreContract;
import dev.keelson.testing.RedisClusterServer;
import dev.keelson.testing.ServerTime;
import dev.keelson.testing.WithRedisCluster;
import java.time.Duration;

@WithRedisCluster
class ClusterRedisIdempotencyStoreTest extends IdempotencyStoreContract {

  private final RedisIdempotencyStore store;

  ClusterRedisIdempotencyStoreTest(RedisClusterServer cluster) {
    this.store =
        RedisIdempotencyStore.builder(cluster.connect()).keyPrefix(cluster.keyPrefix()).build();
  }

  @Override
  protected IdempotencyStore store() {
    return store;
  }

  @Override
  protected void letPass(Duration duration) {
    ServerTime.letPass(duration);
  }
}
