package dev.keelson.benchmarks.leasing;

import dev.keelson.leasing.Lease;
import dev.keelson.leasing.Leaser;
import dev.keelson.leasing.jdbc.JdbcLeaseStore;
import dev.keelson.leasing.jdbc.JdbcTaskQueue;
import dev.keelson.leasing.redis.RedisLeaseStore;
import dev.keelson.leasing.redis.RedisTaskQueue;
import dev.keelson.testing.OneConnection;
import dev.keelson.testing.Servers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** Leasers and task queues on Redis and PostgreSQL, provided as for tests. */
@State(Scope.Thread)
public class LeasingState {

  static final Duration TTL = Duration.ofMinutes(5);
  static final byte[] PAYLOAD = new byte[64];

  RedisClient client;
  StatefulRedisConnection<String, String> connection;
  Leaser redisLeaser;
  Leaser postgresLeaser;
  Lease redisHeld;
  Lease postgresHeld;
  RedisTaskQueue redisTasks;
  JdbcTaskQueue postgresTasks;

  @Setup(Level.Trial)
  public void connect() {
    client = RedisClient.create();
    connection = client.connect(Servers.redis());
    // One open connection, as a pool would give: the benchmark measures statements, not log-ins.
    DataSource postgres = new OneConnection(Servers.postgres("keelson_bench").dataSource());
    JdbcLeaseStore leases = JdbcLeaseStore.on(postgres);
    leases.createSchema();
    redisLeaser = Leaser.builder(RedisLeaseStore.on(connection)).build();
    postgresLeaser = Leaser.builder(leases).build();
    String held = "held-" + Thread.currentThread().getId();
    redisHeld = redisLeaser.tryAcquire(held, TTL).orElseThrow();
    postgresHeld = postgresLeaser.tryAcquire(held, TTL).orElseThrow();
    redisTasks = RedisTaskQueue.builder(connection).build();
    postgresTasks = JdbcTaskQueue.builder(postgres).build();
    postgresTasks.createSchema();
  }

  @TearDown(Level.Trial)
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
