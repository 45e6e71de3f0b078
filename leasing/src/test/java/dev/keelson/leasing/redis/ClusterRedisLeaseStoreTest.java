package dev.keelson.leasing.redis;

import dev.keelson.leasing.LeaseStore;
import dev.keelson.leasing.LeaseStoreContract;
import dev.keelson.testing.RedisClusterServer;
import dev.keelson.testing.ServerTime;
import dev.keelson.testing.WithRedisCluster;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;

@WithRedisCluster
class ClusterRedisLeaseStoreTest extends LeaseStoreContract {

  private RedisLeaseStore store;

  @BeforeEach
  void connect(RedisClusterServer cluster) {
    store = RedisLeaseStore.builder(cluster.connect()).keyPrefix(cluster.keyPrefix()).build();
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
