package dev.keelson.leasing.redis;

import dev.keelson.leasing.TaskQueue;
import dev.keelson.testing.RedisServer;
import dev.keelson.testing.WithRedis;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.junit.jupiter.api.BeforeEach;

@WithRedis
class RedisTaskQueueTest extends RedisTaskQueueContract {

  private RedisServer server;
  private RedisTaskQueue redis;

  @BeforeEach
  void connect(RedisServer server) {
    this.server = server;
    redis =
        RedisTaskQueue.builder(server.connect())
            .keyPrefix(server.keyPrefix())
            .maxAttempts(MAX_ATTEMPTS)
            .backoff(BACKOFF)
            .listener(events)
            .build();
  }

  @Override
  protected TaskQueue newQueue() {
    return redis;
  }

  @Override
  RedisClusterCommands<String, String> commands() {
    return server.connect().sync();
  }

  @Override
  String keyPrefix() {
    return server.keyPrefix();
  }
}
