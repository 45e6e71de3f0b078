package dev.keelson.leasing.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.testing.RedisClusterServer;
import dev.keelson.testing.RedisServer;
import dev.keelson.testing.WithRedis;
import dev.keelson.testing.WithRedisCluster;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RedisFenceTest {

  private static final Duration HOUR = Duration.ofHours(1);

  @Nested
  @WithRedis
  class Standalone {

    @Test
    void aZombiesWriteIsRefusedAndChangesNothing(RedisServer redis) {
      RedisFence fence = RedisFence.on(redis.connect());
      String key = redis.keyPrefix() + "report";

      assertThat(fence.set(key, "old holder", 4, HOUR)).isTrue();
      assertThat(fence.set(key, "new holder", 5, HOUR)).isTrue();
      assertThat(fence.set(key, "zombie", 4, HOUR)).isFalse();
      assertThat(fence.set(key, "new holder again", 5, HOUR)).isTrue();

      assertThat(redis.connect().sync().get(key)).isEqualTo("new holder again");
      assertThat(redis.connect().sync().pttl(key + ":fence")).isPositive();
    }
  }

  @Nested
  @WithRedisCluster
  class Cluster {

    @Test
    void worksWithAHashTagAndSaysWhyWithout(RedisClusterServer cluster) {
      RedisFence fence = RedisFence.on(cluster.connect());
      String key = "{" + cluster.keyPrefix() + "report}";

      assertThat(fence.set(key, "new holder", 5, HOUR)).isTrue();
      assertThat(fence.set(key, "zombie", 3, HOUR)).isFalse();
      assertThat(cluster.connect().sync().get(key)).isEqualTo("new holder");
      assertThatThrownBy(() -> fence.set("untagged", "x", 1, HOUR))
          .hasMessageContaining("hash tag");
    }
  }
}
