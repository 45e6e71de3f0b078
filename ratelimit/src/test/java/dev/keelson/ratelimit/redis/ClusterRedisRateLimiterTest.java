package dev.keelson.ratelimit.redis;

import dev.keelson.testing.RedisClusterServer;
import dev.keelson.testing.WithRedisCluster;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;

@WithRedisCluster
class ClusterRedisRateLimiterTest extends ExactCountContract {

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
    return cluster.onMasterOf(key, command);
  }

  @Override
  void onEveryNode(Consumer<RedisCommands<String, String>> command) {
    cluster.forEachMaster(command);
  }

  @Override
  String prefix() {
    return cluster.keyPrefix();
  }
}
