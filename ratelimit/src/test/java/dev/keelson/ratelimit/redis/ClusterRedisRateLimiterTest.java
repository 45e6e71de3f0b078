package dev.keelson.ratelimit.redis;

import dev.keelson.testing.RedisClusterServer;
import dev.keelson.testing.WithRedisCluster;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;

@WithRedisCluster
class ClusterRedisRateLimiterTest extends HierarchyContract {

  private RedisClusterServer cluster;

  @BeforeEach
  void server(RedisClusterServer cluster) {
    this.cluster = cluster;
  }

  @Override
  StatefulConnection<String, String> connect() {
    return cluster.connect();
  }

  @Override
  <T> T onNodeOf(String key, Function<RedisCommands<String, String>, T> command) {
    StatefulRedisClusterConnection<String, String> connection = cluster.connect();
    RedisClusterNode owner = connection.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
    return command.apply(connection.getConnection(owner.getNodeId()).sync());
  }

  @Override
  void onEveryNode(Consumer<RedisCommands<String, String>> command) {
    StatefulRedisClusterConnection<String, String> connection = cluster.connect();
    for (RedisClusterNode node : connection.getPartitions()) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
        command.accept(connection.getConnection(node.getNodeId()).sync());
      }
    }
  }

  @Override
  String prefix() {
    return cluster.keyPrefix();
  }
}
