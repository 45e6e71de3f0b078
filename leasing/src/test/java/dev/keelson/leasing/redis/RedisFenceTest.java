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

    @Test
    void anyFirstTokenIsAcceptedNegativeOnesIncluded(RedisServer redis) {
      RedisFence fence = RedisFence.on(redis.connect());
      String key = redis.keyPrefix() + "negative";

      assertThat(fence.set(key, "first", -5, HOUR)).isTrue();
      assertThat(fence.set(key, "older", -6, HOUR)).isFalse();
      assertThat(fence.set(key, "newer", -1, HOUR)).isTrue();
      assertThat(fence.set(key, "newer still", 0, HOUR)).isTrue();
      assertThat(fence.set(key, "back below zero", Long.MIN_VALUE, HOUR)).isFalse();
      String lengths = redis.keyPrefix() + "negative-lengths";
      assertThat(fence.set(lengths, "-10", -10, HOUR)).isTrue();
      assertThat(fence.set(lengths, "-9", -9, HOUR)).as("-9 is newer than -10").isTrue();
      assertThat(fence.set(lengths, "-10 again", -10, HOUR)).isFalse();
      assertThat(fence.set(lengths, "-11", -11, HOUR)).isFalse();
      assertThat(redis.connect().sync().get(key)).isEqualTo("newer still");
    }

    @Test
    void tokensAbove2To53CompareExactly(RedisServer redis) {
      RedisFence fence = RedisFence.on(redis.connect());
      String key = redis.keyPrefix() + "huge";
      long newer = (1L << 53) + 1; // as a double, equal to 2^53

      assertThat(fence.set(key, "newer", newer, HOUR)).isTrue();
      assertThat(fence.set(key, "stale", 1L << 53, HOUR)).isFalse();
      assertThat(fence.set(key, "at the top", Long.MAX_VALUE, HOUR)).isTrue();
      assertThat(fence.set(key, "one below the top", Long.MAX_VALUE - 1, HOUR)).isFalse();
      assertThat(redis.connect().sync().get(key)).isEqualTo("at the top");
    }

    @Test
    void anOlderTokenIsRefusedAfterTheValueExpired(RedisServer redis) throws Exception {
      RedisFence fence = RedisFence.on(redis.connect());
      String key = redis.keyPrefix() + "expired";

      assertThat(fence.set(key, "newer", 7, Duration.ofMillis(50))).isTrue();
      awaitGone(redis, key);

      assertThat(fence.set(key, "zombie", 6, HOUR)).isFalse();
      assertThat(redis.connect().sync().exists(key)).isZero();
      assertThat(redis.connect().sync().pttl(key + ":fence"))
          .as("the fence is kept its retention, 30 days by default")
          .isGreaterThan(Duration.ofDays(29).toMillis());
    }

    @Test
    void badArgumentsAreRejectedAndChangeNothing(RedisServer redis) {
      RedisFence fence = RedisFence.on(redis.connect());
      String key = redis.keyPrefix() + "bad";

      assertThatThrownBy(() -> fence.set(key, "x", 1, Duration.ofNanos(10)))
          .hasMessageStartingWith("ttl: ");
      assertThatThrownBy(() -> fence.set(key, "x", 1, Duration.ofDays(100_000)))
          .hasMessageStartingWith("ttl: ");
      assertThatThrownBy(() -> fence.set(key + "\ud800", "x", 1, HOUR))
          .hasMessageStartingWith("key: ");
      assertThatThrownBy(() -> RedisFence.builder(redis.connect()).fenceRetention(Duration.ZERO))
          .hasMessageStartingWith("fenceRetention: ");
      assertThat(redis.connect().sync().exists(key, key + ":fence")).isZero();
    }

    private void awaitGone(RedisServer redis, String key) throws InterruptedException {
      long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (redis.connect().sync().exists(key) == 1 && System.nanoTime() < until) {
        Thread.onSpinWait();
      }
      assertThat(redis.connect().sync().exists(key)).as("the value expired").isZero();
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
      assertThatThrownBy(() -> fence.set("{}report}", "x", 1, HOUR))
          .as("an empty tag is no tag to Redis")
          .hasMessageContaining("hash tag");
    }
  }
}
