package dev.keelson.core.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.testing.RedisClusterServer;
import dev.keelson.testing.RedisServer;
import dev.keelson.testing.WithRedis;
import dev.keelson.testing.WithRedisCluster;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** A restarted server has forgotten every script; the runner's callers must not notice. */
class RedisScriptRunnerRestartTest {

  @Nested
  @WithRedis(appendOnly = true)
  class Standalone {

    @Test
    void theSameRunnerKeepsWorkingAcrossARestart(RedisServer redis) throws Exception {
      StatefulRedisConnection<String, String> connection = redis.connect();
      RedisScriptRunner runner = RedisScriptRunner.on(connection);
      String key = redis.keyPrefix() + "restart";
      assertThat(runner.run(RedisScriptRunnerContract.INCR_BY, List.of(key), 1)).isEqualTo(1L);

      redis.control().restart();

      assertThat(runner.run(RedisScriptRunnerContract.INCR_BY, List.of(key), 1)).isEqualTo(2L);
      redis.control().kill();
      redis.control().start();
      assertThat(
              runner
                  .runAsync(RedisScriptRunnerContract.INCR_BY, List.of(key), 1)
                  .toCompletableFuture()
                  .get(30, TimeUnit.SECONDS))
          .isEqualTo(3L);
    }
  }

  @Nested
  @WithRedisCluster(dedicated = true)
  class Cluster {

    @Test
    void theSameRunnerKeepsWorkingAfterTheOwningNodeRestarts(RedisClusterServer cluster) {
      StatefulRedisClusterConnection<String, String> connection = cluster.connect();
      RedisScriptRunner runner = RedisScriptRunner.on(connection);
      String key = "{" + cluster.keyPrefix() + "}restart";
      assertThat(runner.run(RedisScriptRunnerContract.INCR_BY, List.of(key), 1)).isEqualTo(1L);

      int owner = ownerIndex(cluster, connection, key);
      cluster.node(owner).restart();
      cluster.awaitHealthy();

      assertThat(runner.run(RedisScriptRunnerContract.INCR_BY, List.of(key), 1)).isEqualTo(2L);
    }

    private int ownerIndex(
        RedisClusterServer cluster,
        StatefulRedisClusterConnection<String, String> connection,
        String key) {
      RedisClusterNode owner = connection.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
      for (int i = 0; i < cluster.seeds().size(); i++) {
        if (cluster.seeds().get(i).getPort() == owner.getUri().getPort()) {
          return i;
        }
      }
      throw new AssertionError("no seed is the owner " + owner.getUri());
    }
  }
}
