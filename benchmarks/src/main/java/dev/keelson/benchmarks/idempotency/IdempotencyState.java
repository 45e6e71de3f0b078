package dev.keelson.benchmarks.idempotency;

import dev.keelson.idempotency.Fingerprint;
import dev.keelson.idempotency.Idempotency;
import dev.keelson.idempotency.IdempotencyKey;
import dev.keelson.idempotency.IdempotencyStore;
import dev.keelson.idempotency.InMemoryIdempotencyStore;
import dev.keelson.idempotency.ResultSerializer;
import dev.keelson.idempotency.jdbc.JdbcIdempotencyStore;
import dev.keelson.idempotency.redis.RedisIdempotencyStore;
import dev.keelson.testing.OneConnection;
import dev.keelson.testing.Servers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * An {@link Idempotency} per store, each with one key already executed (for replays) and a counter
 * for fresh keys (for executions). A result of 200 bytes, about a small JSON response.
 */
@State(Scope.Thread)
public class IdempotencyState {

  static final Fingerprint FINGERPRINT = Fingerprint.builder().add("body", "pay 10").build();
  static final byte[] RESULT = new byte[200];
  static final IdempotencyKey EXECUTED = IdempotencyKey.of("bench", "executed");

  private final String run = UUID.randomUUID().toString();
  private long next;
  RedisClient client;
  StatefulRedisConnection<String, String> connection;
  Idempotency<byte[]> redis;
  Idempotency<byte[]> postgres;
  Idempotency<byte[]> h2;
  Idempotency<byte[]> memory;
  Idempotency<byte[]> locallyCached;

  @Setup(Level.Trial)
  public void connect() {
    client = RedisClient.create();
    connection = client.connect(Servers.redis());
    redis = idempotency(RedisIdempotencyStore.builder(connection).build());
    JdbcIdempotencyStore onPostgres =
        JdbcIdempotencyStore.on(new OneConnection(Servers.postgres("keelson_bench").dataSource()));
    onPostgres.createSchema();
    postgres = idempotency(onPostgres);
    JdbcDataSource embedded = new JdbcDataSource();
    embedded.setURL("jdbc:h2:mem:keelson-idempotency-bench;DB_CLOSE_DELAY=-1");
    JdbcIdempotencyStore onH2 = JdbcIdempotencyStore.on(new OneConnection(embedded));
    onH2.createSchema();
    h2 = idempotency(onH2);
    InMemoryIdempotencyStore inMemory =
        InMemoryIdempotencyStore.builder().maximumEntries(10_000_000).build();
    memory = idempotency(inMemory);
    locallyCached =
        Idempotency.builder(inMemory, ResultSerializer.BYTES)
            .retention(Duration.ofMinutes(10))
            .localCache(1000, Duration.ofMinutes(10))
            .build();
    for (Idempotency<byte[]> each : List.of(redis, postgres, h2, memory, locallyCached)) {
      each.execute(EXECUTED, FINGERPRINT, () -> RESULT);
    }
  }

  private static Idempotency<byte[]> idempotency(IdempotencyStore store) {
    return Idempotency.builder(store, ResultSerializer.BYTES)
        .retention(Duration.ofMinutes(10))
        .build();
  }

  /** A key no call has used. */
  IdempotencyKey freshKey() {
    return IdempotencyKey.of("bench", run + "-" + next++);
  }

  @TearDown(Level.Trial)
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
