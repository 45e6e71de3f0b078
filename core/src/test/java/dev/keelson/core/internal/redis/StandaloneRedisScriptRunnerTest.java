package dev.keelson.core.internal.redis;

import dev.keelson.testing.RedisServer;
import dev.keelson.testing.WithRedis;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;

@WithRedis
class StandaloneRedisScriptRunnerTest extends RedisScriptRunnerContract {

  private RedisServer redis;

  @BeforeEach
  void connect(RedisServer redis) {
    this.redis = redis;
  }

  @Override
  StatefulConnection<String, String> connection() {
    return redis.connect();
  }

  @Override
  StatefulConnection<byte[], byte[]> binaryConnection() {
    return redis.client().connect(ByteArrayCodec.INSTANCE, redis.uri());
  }

  @Override
  void onEveryNode(Consumer<RedisCommands<String, String>> command) {
    command.accept(redis.connect().sync());
  }

  @Override
  String key(String name) {
    return redis.keyPrefix() + name;
  }
}
