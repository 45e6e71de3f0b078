package dev.keelson.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

@WithRedisCluster
class RedisClusterExtensionTest {

  @Test
  void isAHealthyClusterOfThreeMastersCoveringEverySlot(RedisClusterServer cluster) {
    RedisAdvancedClusterCommands<String, String> commands = cluster.connect().sync();

    String info = commands.clusterInfo();
    assertThat(info).contains("cluster_state:ok").contains("cluster_slots_assigned:16384");

    List<RedisClusterNode> masters = masters(cluster);
    assertThat(masters).hasSize(3);
    Set<Integer> slots = new HashSet<>();
    masters.forEach(master -> slots.addAll(master.getSlots()));
    assertThat(slots).hasSize(SlotHash.SLOT_COUNT);
  }

  @Test
  void keysSpreadOverEveryMasterAndReadBack(RedisClusterServer cluster) {
    RedisAdvancedClusterCommands<String, String> commands = cluster.connect().sync();
    for (int i = 0; i < 60; i++) {
      commands.set(cluster.keyPrefix() + i, "v" + i);
    }
    for (int i = 0; i < 60; i++) {
      assertThat(commands.get(cluster.keyPrefix() + i)).isEqualTo("v" + i);
    }

    RedisClient plain = RedisClient.create();
    try {
      for (RedisClusterNode master : masters(cluster)) {
        try (StatefulRedisConnection<String, String> node = plain.connect(master.getUri())) {
          assertThat(node.sync().keys(cluster.keyPrefix() + "*"))
              .as("keys on master %s", master.getUri())
              .isNotEmpty();
        }
      }
    } finally {
      plain.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Test
  void aSharedClusterCannotBeControlled(RedisClusterServer cluster) {
    assertThatThrownBy(() -> cluster.node(0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("@WithRedisCluster(dedicated = true)");
  }

  private static List<RedisClusterNode> masters(RedisClusterServer cluster) {
    return cluster.connect().getPartitions().stream()
        .filter(node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM))
        .toList();
  }
}
