package dev.keelson.idempotency.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.idempotency.Fingerprint;
import dev.keelson.idempotency.IdempotencyKey;
import dev.keelson.idempotency.IdempotencyStore;
import dev.keelson.idempotency.IdempotencyStoreContract;
import dev.keelson.testing.RedisClusterServer;
import dev.keelson.testing.ServerTime;
import dev.keelson.testing.WithRedisCluster;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

@WithRedisCluster
class ClusterRedisIdempotencyStoreTest extends IdempotencyStoreContract {

  private final RedisIdempotencyStore store;
  private final RedisClusterServer cluster;

  ClusterRedisIdempotencyStoreTest(RedisClusterServer cluster) {
    this.cluster = cluster;
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

  @Test
  void aClientCannotPinItsRecordsToOneSlotWithBraces() {
    Fingerprint fingerprint = Fingerprint.builder().add("body", "x").build();
    for (int i = 0; i < 50; i++) {
      IdempotencyKey key = IdempotencyKey.of("hot-slot", "{same-slot}" + i);
      store.begin(key, fingerprint, "o", Duration.ofSeconds(1), Duration.ofMinutes(1));
    }

    List<Long> recordsPerMaster = new CopyOnWriteArrayList<>();
    cluster.forEachMaster(
        node ->
            recordsPerMaster.add(
                (long) node.keys(cluster.keyPrefix() + "idem:8:hot-slot:*").size()));

    assertThat(recordsPerMaster.stream().mapToLong(Long::longValue).sum()).isEqualTo(50);
    assertThat(recordsPerMaster).as("spread over the masters, not on one").allMatch(n -> n < 50);
  }
}
