package dev.keelson.leasing.redis;

import dev.keelson.leasing.TaskQueue;
import dev.keelson.testing.RedisClusterServer;
import dev.keelson.testing.WithRedisCluster;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.junit.jupiter.api.BeforeEach;

@WithRedisCluster
class ClusterRedisTaskQueueTest extends RedisTaskQueueContract {

  private RedisClusterServer server;
  private RedisTaskQueue redis;

  @BeforeEach
  void connect(RedisClusterServer server) {
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
