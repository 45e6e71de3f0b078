package dev.keelson.leasing.redis;

import dev.keelson.leasing.LeaseStore;
import dev.keelson.leasing.LeaseStoreContract;
import dev.keelson.testing.RedisServer;
import dev.keelson.testing.ServerTime;
import dev.keelson.testing.WithRedis;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;

@WithRedis
class RedisLeaseStoreTest extends LeaseStoreContract {

  private RedisLeaseStore store;

  @BeforeEach
  void connect(RedisServer redis) {
    store = RedisLeaseStore.builder(redis.connect()).keyPrefix(redis.keyPrefix()).build();
  }

  @Override
  protected LeaseStore store() {
    return store;
  }

  @Override
  protected void letExpire(Duration ttl) {
    ServerTime.letPass(ttl);
  }
}
