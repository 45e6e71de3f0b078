package dev.keelson.core.internal.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.testing.RedisClusterServer;
import dev.keelson.testing.WithRedisCluster;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.codec.ByteArrayCodec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithRedisCluster
class ClusterRedisScriptRunnerTest extends RedisScriptRunnerContract {

  private RedisClusterServer cluster;

  @BeforeEach
  void connect(RedisClusterServer cluster) {
    this.cluster = cluster;
  }

  @Override
  StatefulConnection<String, String> connection() {
    return cluster.connect();
  }

  @Override
  StatefulConnection<byte[], byte[]> binaryConnection() {
    return cluster.client().connect(ByteArrayCodec.INSTANCE);
  }

  @Override
  void onEveryNode(Consumer<RedisCommands<String, String>> command) {
    cluster.forEachMaster(command);
  }

  @Override
  String key(String name) {
    return "{" + cluster.keyPrefix() + "}" + name;
  }

  @Test
  void routesEachCallToTheNodeThatOwnsItsKeys() {
    RedisScriptRunner runner = runner();
    Set<Integer> slots = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      String key = "{" + cluster.keyPrefix() + i + "}counter";
      slots.add(SlotHash.getSlot(key));
      assertThat(runner.run(INCR_BY, List.of(key), i)).isEqualTo((long) i);
      assertThat(cluster.connect().sync().get(key)).isEqualTo(Integer.toString(i));
    }
    assertThat(slots).hasSizeGreaterThan(3);
  }
}
