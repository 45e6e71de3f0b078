package dev.keelson.idempotency.redis;

import dev.keelson.core.EvictionCheck;
import dev.keelson.core.internal.Checks;
import dev.keelson.core.internal.redis.EvictionPolicy;
import dev.keelson.core.internal.redis.KeyPrefix;
import dev.keelson.core.internal.redis.RedisScript;
import dev.keelson.core.internal.redis.RedisScriptRunner;
import dev.keelson.core.internal.redis.ScriptResult;
import dev.keelson.idempotency.Fingerprint;
import dev.keelson.idempotency.IdempotencyKey;
import dev.keelson.idempotency.IdempotencyStore;
import dev.keelson.idempotency.internal.IdempotencyChecks;
import io.lettuce.core.api.StatefulConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Idempotency records on Redis, standalone or Cluster: one hash per key at {@code
 * <prefix>idem:<namespace length>:<namespace>:<key>}, with the fingerprint, state, owner, lease
 * (server time) and the result (base64, so any connection codec works). Begin, complete and release
 * are one script each, timed by the server's clock; each record expires with its retention (a TTL
 * on the key). A record touches one key, so it needs no hash tag on a Cluster; braces in a client's
 * key are escaped so that they cannot pick its slot either.
 *
 * <p>Durability is Redis's: a record written just before a crash without AOF ({@code appendfsync
 * always} or {@code everysec}) is lost, and a duplicate of that request would execute again.
 */
public final class RedisIdempotencyStore implements IdempotencyStore {

  private static final RedisScript<List<Object>> BEGIN = script("begin.lua", ScriptResult.LIST);
  private static final RedisScript<Long> COMPLETE = script("complete.lua", ScriptResult.LONG);
  private static final RedisScript<Long> RELEASE = script("release.lua", ScriptResult.LONG);

  private final RedisScriptRunner runner;
  private final String keyPrefix;
  private final Duration timeout;

  private RedisIdempotencyStore(Builder builder) {
    EvictionPolicy.check(
        builder.evictionCheck,
        builder.connection,
        "an idempotency store (an evicted record lets a completed request execute again)");
    this.runner = RedisScriptRunner.on(builder.connection);
    this.keyPrefix = builder.keyPrefix;
    this.timeout = builder.timeout;
  }

  private static <T> RedisScript<T> script(String name, ScriptResult<T> result) {
    return RedisScript.fromResource(RedisIdempotencyStore.class, name, result);
  }

  /**
   * A store with the defaults: keys under {@code keelson:}, calls of at most 1 s, and a Redis that
   * may evict keys refused: {@code builder(connection).build()}.
   *
   * @param connection a standalone or Cluster connection, any codec; the caller owns it
   * @return the store
   * @throws IllegalStateException if Redis may evict keys (see {@link EvictionCheck#REFUSE})
   */
  public static RedisIdempotencyStore on(StatefulConnection<?, ?> connection) {
    return builder(connection).build();
  }

  /**
   * @param connection a standalone or Cluster connection, any codec; the caller owns it
   * @return a builder
   */
  public static Builder builder(StatefulConnection<?, ?> connection) {
    return new Builder(connection);
  }

  @Override
  public Begin begin(
      IdempotencyKey key,
      Fingerprint fingerprint,
      String owner,
      Duration lease,
      Duration retention) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(fingerprint, "fingerprint");
    IdempotencyChecks.owner(owner);
    IdempotencyChecks.durations(lease, retention);
    List<Object> reply =
        runner.run(
            BEGIN,
            timeout,
            List.of(redisKey(key)),
            fingerprint.hex(),
            owner,
            lease.toMillis(),
            retention.toMillis());
    return switch ((String) reply.get(0)) {
      case "started" -> new Started((Long) reply.get(1) == 1L);
      case "running" -> new Running(Instant.ofEpochMilli((Long) reply.get(1)));
      case "completed" -> new Completed(Base64.getDecoder().decode((String) reply.get(1)));
      case "completed_without_result" -> new CompletedWithoutResult();
      case "mismatch" -> new Mismatch();
      default -> throw new IllegalStateException("begin.lua answered " + reply);
    };
  }

  @Override
  public boolean complete(IdempotencyKey key, String owner, byte[] result, Duration retention) {
    Objects.requireNonNull(result, "result");
    check(key, owner, retention);
    return runner.run(
            COMPLETE,
            timeout,
            List.of(redisKey(key)),
            owner,
            retention.toMillis(),
            Base64.getEncoder().encodeToString(result))
        == 1L;
  }

  @Override
  public boolean completeWithoutResult(IdempotencyKey key, String owner, Duration retention) {
    check(key, owner, retention);
    return runner.run(COMPLETE, timeout, List.of(redisKey(key)), owner, retention.toMillis()) == 1L;
  }

  @Override
  public boolean release(IdempotencyKey key, String owner) {
    Objects.requireNonNull(key, "key");
    IdempotencyChecks.owner(owner);
    return runner.run(RELEASE, timeout, List.of(redisKey(key)), owner) == 1L;
  }

  private static void check(IdempotencyKey key, String owner, Duration retention) {
    Objects.requireNonNull(key, "key");
    IdempotencyChecks.owner(owner);
    IdempotencyChecks.durations(null, retention);
  }

  /**
   * The record's key. Braces in a client's key would make a Cluster hash tag, letting the client
   * pick the slot its records land on; they are written as U+0001 followed by '(' or ')'. Keys
   * never hold control characters ({@link IdempotencyKey} refuses them), so different keys stay
   * different, and keys without braces keep the name they always had.
   */
  private String redisKey(IdempotencyKey key) {
    String storage = key.storageKey();
    if (storage.indexOf('{') >= 0 || storage.indexOf('}') >= 0) {
      storage = storage.replace("{", "\u0001(").replace("}", "\u0001)");
    }
    return keyPrefix + "idem:" + storage;
  }

  /** Settings of a {@link RedisIdempotencyStore}. */
  public static final class Builder {
    private final StatefulConnection<?, ?> connection;
    private String keyPrefix = KeyPrefix.DEFAULT;
    private Duration timeout = Duration.ofSeconds(1);
    private EvictionCheck evictionCheck = EvictionCheck.REFUSE;

    private Builder(StatefulConnection<?, ?> connection) {
      this.connection = Objects.requireNonNull(connection, "connection");
    }

    /**
     * @param keyPrefix put before every key (default {@code keelson:})
     * @return this builder
     */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = KeyPrefix.check(keyPrefix);
      return this;
    }

    /**
     * @param timeout how long one call may take before it fails (default 1 s; 1 ms to 1 minute)
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout =
          Checks.between("timeout", timeout, Duration.ofMillis(1), Duration.ofMinutes(1));
      return this;
    }

    /**
     * @param evictionCheck what to do if Redis may evict keys (default {@link
     *     EvictionCheck#REFUSE}: an evicted record lets a completed request execute again)
     * @return this builder
     */
    public Builder evictionCheck(EvictionCheck evictionCheck) {
      this.evictionCheck = Objects.requireNonNull(evictionCheck, "evictionCheck");
      return this;
    }

    /**
     * @return the store
     * @throws IllegalStateException if Redis may evict keys and the check is {@link
     *     EvictionCheck#REFUSE}
     */
    public RedisIdempotencyStore build() {
      return new RedisIdempotencyStore(this);
    }
  }
}
