package dev.keelson.core.internal.redis;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.core.EvictionCheck;
import dev.keelson.testing.RedisClusterServer;
import dev.keelson.testing.RedisServer;
import dev.keelson.testing.WithRedis;
import dev.keelson.testing.WithRedisCluster;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The eviction policy check, on a real server and on every master of a real Cluster. */
class EvictionPolicyTest {

  private static final String COMPONENT = "a test store (an evicted key breaks it)";

  @Nested
  @WithRedis(dedicated = true)
  class Standalone {

    @Test
    void noevictionPasses(RedisServer redis) {
      StatefulRedisConnection<String, String> connection = redis.connect();
      connection.sync().configSet("maxmemory-policy", "noeviction");

      assertThatCode(() -> EvictionPolicy.check(EvictionCheck.REFUSE, connection, COMPONENT))
          .doesNotThrowAnyException();
    }

    @Test
    void aPolicyThatEvictsIsHarmlessWithoutAMemoryLimit(RedisServer redis) {
      StatefulRedisConnection<String, String> connection = redis.connect();
      connection.sync().configSet("maxmemory", "0");
      connection.sync().configSet("maxmemory-policy", "allkeys-lru");

      assertThatCode(() -> EvictionPolicy.check(EvictionCheck.REFUSE, connection, COMPONENT))
          .doesNotThrowAnyException();
      connection.sync().configSet("maxmemory-policy", "noeviction");
    }

    @Test
    void aPolicyThatEvictsIsRefusedWarnedOfOrSkippedAsConfigured(RedisServer redis) {
      StatefulRedisConnection<String, String> connection = redis.connect();
      connection.sync().configSet("maxmemory", "1gb");
      for (String policy : new String[] {"allkeys-lru", "volatile-ttl", "volatile-lfu"}) {
        connection.sync().configSet("maxmemory-policy", policy);

        assertThatThrownBy(() -> EvictionPolicy.check(EvictionCheck.REFUSE, connection, COMPONENT))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("maxmemory-policy " + policy)
            .hasMessageContaining(COMPONENT)
            .hasMessageContaining("EvictionCheck.WARN");
        assertThatCode(() -> EvictionPolicy.check(EvictionCheck.WARN, connection, COMPONENT))
            .doesNotThrowAnyException();
        assertThatCode(() -> EvictionPolicy.check(EvictionCheck.SKIP, connection, COMPONENT))
            .doesNotThrowAnyException();
      }
      connection.sync().configSet("maxmemory-policy", "noeviction");
      connection.sync().configSet("maxmemory", "0");
    }
  }

  @Nested
  @WithRedisCluster(dedicated = true)
  class Cluster {

    @Test
    void oneMasterOfThreeThatMayEvictIsRefused(RedisClusterServer cluster) {
      var connection = cluster.connect();
      assertThatCode(() -> EvictionPolicy.check(EvictionCheck.REFUSE, connection, COMPONENT))
          .doesNotThrowAnyException();
      // Only the master of this one key's slot evicts: a check that asked one node could miss it.
      String key = "{eviction-check}";
      cluster.onMasterOf(key, node -> node.configSet("maxmemory", "1gb"));
      cluster.onMasterOf(key, node -> node.configSet("maxmemory-policy", "volatile-lru"));
      try {
        assertThatThrownBy(() -> EvictionPolicy.check(EvictionCheck.REFUSE, connection, COMPONENT))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("master")
            .hasMessageContaining("maxmemory-policy volatile-lru");
      } finally {
        cluster.onMasterOf(key, node -> node.configSet("maxmemory-policy", "noeviction"));
        cluster.onMasterOf(key, node -> node.configSet("maxmemory", "0"));
      }
    }
  }
}
