package dev.keelson.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@WithRedis
class RedisExtensionTest {

  private static String outerPrefix = "";

  @BeforeAll
  static void rememberPrefix(RedisServer redis) {
    outerPrefix = redis.keyPrefix();
  }

  @Test
  void givesARealRedisServer(RedisServer redis) {
    RedisCommands<String, String> commands = redis.connect().sync();

    assertThat(commands.ping()).isEqualTo("PONG");
    assertThat(commands.info("server")).contains("redis_version:");
    assertThat(redis.description()).isNotBlank();
  }

  @Test
  void keysWrittenUnderThePrefixReadBack(RedisServer redis) {
    RedisCommands<String, String> commands = redis.connect().sync();
    String key = redis.keyPrefix() + "greeting";

    commands.set(key, "hello");

    assertThat(commands.get(key)).isEqualTo("hello");
    assertThat(redis.keyPrefix()).startsWith("test:redisextensiontest_").endsWith(":");
  }

  @Test
  void theSameViewServesEveryMethodOfTheClass(RedisServer first, RedisServer second) {
    assertThat(first).isSameAs(second);
    assertThat(first.keyPrefix()).isEqualTo(outerPrefix);
  }

  @Test
  void aSharedServerCannotBeControlled(RedisServer redis) {
    assertThatThrownBy(redis::control)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("@WithRedis(dedicated = true)");
  }

  @Test
  void connectionsAreClosedWithTheClassButUsableUntilThen(RedisServer redis) {
    StatefulRedisConnection<String, String> connection = redis.connect();

    assertThat(connection.isOpen()).isTrue();
  }

  @Nested
  class ANestedClass {

    @Test
    void getsItsOwnPrefix(RedisServer redis) {
      assertThat(redis.keyPrefix()).isNotEqualTo(outerPrefix).contains("anestedclass_");
      assertThat(redis.connect().sync().ping()).isEqualTo("PONG");
    }
  }
}
