package dev.keelson.leasing.redis;

import dev.keelson.leasing.LeaseStore;
import dev.keelson.leasing.PausedWorkersSafetyContract;
import dev.keelson.leasing.TaskQueue;
import dev.keelson.testing.RedisServer;
import dev.keelson.testing.WithRedis;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;

@WithRedis
class RedisPausedWorkersSafetyTest extends PausedWorkersSafetyContract {

  private RedisLeaseStore leases;
  private RedisFence fence;
  private RedisTaskQueue tasks;

  @BeforeEach
  void connect(RedisServer server) {
    var connection = server.connect();
    leases = RedisLeaseStore.builder(connection).keyPrefix(server.keyPrefix()).build();
    fence = RedisFence.on(connection);
    tasks =
        RedisTaskQueue.builder(connection).keyPrefix(server.keyPrefix()).maxAttempts(100).build();
  }

  @Override
  protected LeaseStore leaseStore() {
    return leases;
  }

  @Override
  protected boolean fencedWrite(String resource, long token) {
    return fence.set("{" + resource + "}:value", "by " + token, token, Duration.ofMinutes(1));
  }

  @Override
  protected TaskQueue taskQueue() {
    return tasks;
  }
}
