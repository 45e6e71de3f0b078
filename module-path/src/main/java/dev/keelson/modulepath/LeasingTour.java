package dev.keelson.modulepath;

import dev.keelson.leasing.ClaimedTask;
import dev.keelson.leasing.Lease;
import dev.keelson.leasing.Leaser;
import dev.keelson.leasing.TaskQueue;
import dev.keelson.leasing.jdbc.JdbcFence;
import dev.keelson.leasing.jdbc.JdbcLeaseStore;
import dev.keelson.leasing.jdbc.JdbcTaskQueue;
import dev.keelson.leasing.redis.RedisFence;
import dev.keelson.leasing.redis.RedisTaskQueue;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The leasing module's other backends from a named module: fences and task queues, on Redis and in
 * the database, and leases on H2, each loading its script or DDL across the module boundary.
 */
public final class LeasingTour {

  private LeasingTour() {}

  /**
   * @return whether the database fence admitted token 2, then token 1 after it
   * @throws SQLException if the database fails
   */
  public static List<Boolean> jdbcFenceAdmits(DataSource database) throws SQLException {
    JdbcFence fence = JdbcFence.withDefaults();
    fence.createSchema(database);
    String resource = "tour-" + System.nanoTime();
    try (Connection connection = database.getConnection()) {
      return List.of(
          fence.admit(connection, resource, 2, tx -> {}),
          fence.admit(connection, resource, 1, tx -> {}));
    }
  }

  /**
   * @return whether the Redis fence let token 2 write, then token 1 after it
   */
  public static List<Boolean> redisFenceAdmits(
      StatefulRedisConnection<String, String> redis, String prefix) {
    RedisFence fence = RedisFence.on(redis);
    String key = prefix + "tour-" + System.nanoTime();
    return List.of(
        fence.set(key, "by 2", 2, Duration.ofMinutes(1)),
        fence.set(key, "by 1", 1, Duration.ofMinutes(1)));
  }

  /**
   * @return the payloads a worker claimed from a database queue after one enqueue
   */
  public static List<String> jdbcTaskClaimed(DataSource database) {
    JdbcTaskQueue queue = JdbcTaskQueue.on(database);
    queue.createSchema();
    return enqueueAndClaim(queue);
  }

  /**
   * @return the payloads a worker claimed from a Redis queue after one enqueue
   */
  public static List<String> redisTaskClaimed(
      StatefulRedisConnection<String, String> redis, String prefix) {
    return enqueueAndClaim(RedisTaskQueue.builder(redis).keyPrefix(prefix).build());
  }

  private static List<String> enqueueAndClaim(TaskQueue queue) {
    String name = "tour-" + System.nanoTime();
    queue.enqueue(name, "send the report".getBytes(StandardCharsets.UTF_8));
    List<ClaimedTask> claimed = queue.claim(name, "worker-1", 10, Duration.ofMinutes(1));
    claimed.forEach(queue::complete);
    return claimed.stream()
        .map(task -> new String(task.payload(), StandardCharsets.UTF_8))
        .toList();
  }

  /**
   * @return a lease in an H2 database, if granted
   */
  public static Optional<Lease> h2Lease(DataSource h2) {
    JdbcLeaseStore store = JdbcLeaseStore.on(h2);
    store.createSchema();
    return Leaser.builder(store).build().tryAcquire("tour", Duration.ofSeconds(10));
  }
}
