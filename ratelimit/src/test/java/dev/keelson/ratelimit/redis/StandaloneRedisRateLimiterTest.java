package dev.keelson.ratelimit.redis;

import dev.keelson.testing.RedisServer;
import dev.keelson.testing.WithRedis;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;

@WithRedis
class StandaloneRedisRateLimiterTest extends ExactCountContract {

  private RedisServer redis;

  @BeforeEach
  void server(RedisServer redis) {
    this.redis = redis;
  }

  @Override
  StatefulConnection<String, String> connect() {
    return redis.connect();
  }

  @Override
  <T> T onNodeOf(String key, Function<RedisCommands<String, String>, T> command) {
    return command.apply(redis.connect().sync());
  }

  @Override
  void onEveryNode(Consumer<RedisCommands<String, String>> command) {
    command.accept(redis.connect().sync());
  }

  @Override
  String prefix() {
    return redis.keyPrefix();
  }
}
