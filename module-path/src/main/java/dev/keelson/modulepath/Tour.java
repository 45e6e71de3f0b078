package dev.keelson.modulepath;

import dev.keelson.idempotency.Fingerprint;
import dev.keelson.idempotency.Idempotency;
import dev.keelson.idempotency.IdempotencyKey;
import dev.keelson.idempotency.Outcome;
import dev.keelson.idempotency.ResultSerializer;
import dev.keelson.idempotency.jdbc.JdbcIdempotencyStore;
import dev.keelson.idempotency.redis.RedisIdempotencyStore;
import dev.keelson.leasing.Lease;
import dev.keelson.leasing.Leaser;
import dev.keelson.leasing.jdbc.JdbcLeaseStore;
import dev.keelson.leasing.redis.RedisLeaseStore;
import dev.keelson.outbox.InMemoryPublisher;
import dev.keelson.outbox.Inbox;
import dev.keelson.outbox.Outbox;
import dev.keelson.outbox.OutboxListener;
import dev.keelson.outbox.OutboxMessage;
import dev.keelson.outbox.OutboxRelay;
import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.InProcessRateLimitHierarchy;
import dev.keelson.ratelimit.RateLimit;
import dev.keelson.ratelimit.redis.RedisRateLimitHierarchy;
import dev.keelson.ratelimit.redis.RedisRateLimiter;
import dev.keelson.retry.Retry;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * One call per backend, made from a named module: each one loads its Lua script or DDL from the
 * Keelson module that ships it, which fails on the module path if that package is not opened.
 */
public final class Tour {

  private Tour() {}

  /**
   * @return the attempts a call that fails once took
   * @throws Exception if the retry gave up
   */
  public static int retriedOnce() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    Retry.builder()
        .maxAttempts(3)
        .build()
        .call(
            () -> {
              if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("the first attempt fails");
              }
              return "done";
            });
    return attempts.get();
  }

  /**
   * @return the first decision of a Redis token bucket of 10
   */
  public static Decision redisDecision(
      StatefulRedisConnection<String, String> redis, String prefix) {
    return RedisRateLimiter.builder(redis, RateLimit.tokenBucket("tour", 10, Duration.ofSeconds(1)))
        .keyPrefix(prefix)
        .build()
        .decide("caller", 1);
  }

  /**
   * @return what a second execution of one key on Redis answered
   */
  public static Outcome<String> redisReplay(
      StatefulRedisConnection<String, String> redis, String prefix) {
    return twice(
        Idempotency.builder(
                RedisIdempotencyStore.builder(redis).keyPrefix(prefix).build(),
                ResultSerializer.UTF8)
            .build());
  }

  /**
   * @return what a second execution of one key in the database answered
   */
  public static Outcome<String> jdbcReplay(DataSource database) {
    JdbcIdempotencyStore store = JdbcIdempotencyStore.on(database);
    store.createSchema();
    return twice(Idempotency.builder(store, ResultSerializer.UTF8).build());
  }

  private static Outcome<String> twice(Idempotency<String> idempotency) {
    IdempotencyKey key = IdempotencyKey.of("tour", "k-" + System.nanoTime());
    Fingerprint fingerprint = Fingerprint.builder().add("body", "pay 10").build();
    idempotency.execute(key, fingerprint, () -> "charged");
    return idempotency.execute(key, fingerprint, () -> "charged again");
  }

  /**
   * @return whether a hierarchy in this JVM, then one on Redis, allowed a first request
   */
  public static List<Boolean> hierarchiesAllow(
      StatefulRedisConnection<String, String> redis, String prefix) {
    List<RateLimit> levels =
        List.of(
            RateLimit.tokenBucket("tour-all", 100, Duration.ofSeconds(1)),
            RateLimit.tokenBucket("tour-tenant", 10, Duration.ofSeconds(1)));
    return List.of(
        InProcessRateLimitHierarchy.of(levels).decide(1, "all", "acme").allowed(),
        RedisRateLimitHierarchy.builder(redis, levels)
            .keyPrefix(prefix)
            .build()
            .decide(1, "all", "acme")
            .allowed());
  }

  /**
   * @return whether the inbox ran its handler for a message, then for the same message again
   * @throws SQLException if the database fails
   */
  public static List<Boolean> inboxTwice(DataSource database) throws SQLException {
    Inbox inbox = Inbox.withDefaults();
    inbox.createSchema(database);
    UUID messageId = UUID.randomUUID();
    try (Connection connection = database.getConnection()) {
      return List.of(
          inbox.process(connection, "tour", messageId, tx -> {}),
          inbox.process(connection, "tour", messageId, tx -> {}));
    }
  }

  /**
   * @return a lease on Redis, if granted
   */
  public static Optional<Lease> redisLease(
      StatefulRedisConnection<String, String> redis, String prefix) {
    return Leaser.builder(RedisLeaseStore.builder(redis).keyPrefix(prefix).build())
        .build()
        .tryAcquire("tour", Duration.ofSeconds(10));
  }

  /**
   * @return a lease in the database, if granted
   */
  public static Optional<Lease> jdbcLease(DataSource database) {
    JdbcLeaseStore store = JdbcLeaseStore.on(database);
    store.createSchema();
    return Leaser.builder(store).build().tryAcquire("tour", Duration.ofSeconds(10));
  }

  /**
   * @return what one relay round published of a message appended in a committed transaction
   * @throws SQLException if the database fails
   */
  public static List<OutboxMessage> relayed(DataSource database) throws SQLException {
    Outbox outbox = Outbox.withDefaults();
    outbox.createSchema(database);
    try (Connection connection = database.getConnection()) {
      connection.setAutoCommit(false);
      outbox.append(
          connection,
          OutboxMessage.of("tour", "order-1", "created".getBytes(StandardCharsets.UTF_8)));
      connection.commit();
    }
    InMemoryPublisher publisher = InMemoryPublisher.withDefaults();
    try (OutboxRelay relay = OutboxRelay.builder(database, outbox, publisher).build()) {
      relay.runOnce();
    }
    return publisher.delivered();
  }

  /**
   * What a started relay did with messages committed while it ran.
   *
   * @param delivered what it published within ten seconds
   * @param errors what its rounds reported
   */
  public record Relayed(List<OutboxMessage> delivered, List<Exception> errors) {}

  /**
   * Starts a relay that polls only once a minute, so that it must hear commits ({@code LISTEN},
   * through the PostgreSQL driver's module), and commits a message every half second, after the
   * relay's first round has found nothing, until one is published or ten seconds have passed.
   *
   * @return what the relay published and reported
   * @throws SQLException if the database fails
   */
  public static Relayed startedRelay(DataSource database) throws SQLException {
    Outbox outbox = Outbox.builder().table("tour_started_outbox").build();
    outbox.createSchema(database);
    InMemoryPublisher publisher = InMemoryPublisher.withDefaults();
    List<Exception> errors = new CopyOnWriteArrayList<>();
    OutboxListener reporting =
        new OutboxListener() {
          @Override
          public void onRelayError(String relay, Exception error) {
            errors.add(error);
          }
        };
    try (OutboxRelay relay =
        OutboxRelay.builder(database, outbox, publisher)
            .pollInterval(Duration.ofMinutes(1))
            .listener(reporting)
            .build()) {
      relay.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      // A commit before the relay listens is not heard (it waits for the poll): commit again.
      while (publisher.delivered().isEmpty() && System.nanoTime() < deadline) {
        LockSupport.parkNanos(Duration.ofMillis(500).toNanos());
        commit(database, outbox, "order-2");
        awaitDelivery(publisher, 1, Duration.ofMillis(500));
      }
      // The relay has run its rounds and waits now (a moment for its last, empty round): only a
      // notification can wake it within the minute.
      LockSupport.parkNanos(Duration.ofMillis(300).toNanos());
      int before = publisher.delivered().size();
      commit(database, outbox, "order-3");
      awaitDelivery(publisher, before + 1, Duration.ofSeconds(10));
    }
    return new Relayed(publisher.delivered(), errors);
  }

  private static void commit(DataSource database, Outbox outbox, String key) throws SQLException {
    try (Connection connection = database.getConnection()) {
      connection.setAutoCommit(false);
      outbox.append(
          connection, OutboxMessage.of("tour", key, "paid".getBytes(StandardCharsets.UTF_8)));
      connection.commit();
    }
  }

  private static void awaitDelivery(InMemoryPublisher publisher, int count, Duration atMost) {
    long deadline = System.nanoTime() + atMost.toNanos();
    while (publisher.delivered().size() < count && System.nanoTime() < deadline) {
      LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
    }
  }
}
