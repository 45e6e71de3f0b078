package dev.keelson.leasing.redis;

import dev.keelson.leasing.TaskQueue;
import dev.keelson.leasing.TaskQueueContract;
import dev.keelson.testing.RedisServer;
import dev.keelson.testing.WithRedis;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import org.junit.jupiter.api.BeforeEach;

@WithRedis
class RedisTaskQueueTest extends TaskQueueContract {

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

  private RedisClusterCommands<String, String> commands() {
    return server.connect().sync();
  }

  private String key(String queue, String part) {
    return server.keyPrefix() + "tasks:{" + queue + "}:" + part;
  }

  @Override
  protected String state(String queue, long id) {
    if (commands().zscore(key(queue, "due"), Long.toString(id)) != null) {
      return "pending";
    }
    return commands().zscore(key(queue, "dead"), Long.toString(id)) != null ? "dead" : "done";
  }

  @Override
  protected String lastError(String queue, long id) {
    return commands().hget(key(queue, "data"), id + ":error");
  }
}
