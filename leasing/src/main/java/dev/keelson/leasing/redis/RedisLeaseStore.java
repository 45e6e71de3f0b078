package dev.keelson.leasing.redis;

import dev.keelson.core.EvictionCheck;
import dev.keelson.core.internal.redis.EvictionPolicy;
import dev.keelson.core.internal.redis.KeyPrefix;
import dev.keelson.core.internal.redis.RedisScript;
import dev.keelson.core.internal.redis.RedisScriptRunner;
import dev.keelson.core.internal.redis.ScriptResult;
import dev.keelson.leasing.LeaseStore;
import dev.keelson.leasing.internal.LeaseChecks;
import io.lettuce.core.api.StatefulConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Leases on Redis, standalone or Cluster: one script per operation, timed by the server. Keys:
 * {@code <prefix>lease:{<resource>}} (a hash: owner, token; its TTL is the grant) and {@code
 * <prefix>lease:{<resource>}:token} (the last token, kept 30 days after the last grant), both in
 * the resource's hash slot.
 *
 * <p>Each call waits at most its timeout (the time a renewal has left), not the connection's
 * command timeout (Lettuce's default is 60 s), then fails and cancels the command.
 *
 * <p>Tokens are {@code max(last token + 1, server time in microseconds)}: they keep increasing
 * across a restart with persistence (AOF) and, without persistence, as long as the server's clock
 * does not go back.
 */
public final class RedisLeaseStore implements LeaseStore {

  private static final long TOKEN_RETENTION_MILLIS = Duration.ofDays(30).toMillis();
  private static final RedisScript<List<Object>> ACQUIRE = script("acquire.lua", ScriptResult.LIST);
  private static final RedisScript<Long> RENEW = script("renew.lua", ScriptResult.LONG);
  private static final RedisScript<Long> RELEASE = script("release.lua", ScriptResult.LONG);

  private final RedisScriptRunner runner;
  private final String keyPrefix;

  private RedisLeaseStore(Builder builder) {
    EvictionPolicy.check(
        builder.evictionCheck,
        builder.connection,
        "a lease store (an evicted lease lets a second holder in)");
    this.runner = RedisScriptRunner.on(builder.connection);
    this.keyPrefix = builder.keyPrefix;
  }

  /**
   * A store with the defaults: keys under {@code keelson:}, and a Redis that may evict keys
   * refused.
   *
   * @param connection a standalone or Cluster connection, any codec; the caller owns it
   * @return the store
   * @throws IllegalStateException if Redis may evict keys (see {@link EvictionCheck#REFUSE})
   */
  public static RedisLeaseStore on(StatefulConnection<?, ?> connection) {
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
  public Optional<Grant> tryAcquire(String resource, String owner, Duration ttl, Duration timeout) {
    LeaseChecks.resource(resource);
    LeaseChecks.owner(owner);
    LeaseChecks.ttl(ttl);
    LeaseChecks.timeout(timeout);
    String key = leaseKey(resource);
    List<Object> reply =
        runner.run(
            ACQUIRE,
            timeout,
            List.of(key, key + ":token"),
            owner,
            ttl.toMillis(),
            TOKEN_RETENTION_MILLIS);
    if (reply.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Grant(resource, owner, (Long) reply.get(0), Instant.ofEpochMilli((Long) reply.get(1))));
  }

  @Override
  public Optional<Grant> renew(Grant grant, Duration ttl, Duration timeout) {
    LeaseChecks.grant(grant);
    LeaseChecks.ttl(ttl);
    LeaseChecks.timeout(timeout);
    long expiry =
        runner.run(
            RENEW,
            timeout,
            List.of(leaseKey(grant.resource())),
            grant.owner(),
            Long.toString(grant.token()),
            ttl.toMillis());
    return expiry < 0
        ? Optional.empty()
        : Optional.of(
            new Grant(
                grant.resource(), grant.owner(), grant.token(), Instant.ofEpochMilli(expiry)));
  }

  @Override
  public boolean release(Grant grant, Duration timeout) {
    LeaseChecks.grant(grant);
    LeaseChecks.timeout(timeout);
    return runner.run(
            RELEASE,
            timeout,
            List.of(leaseKey(grant.resource())),
            grant.owner(),
            Long.toString(grant.token()))
        == 1L;
  }

  /**
   * @param resource a leased resource
   * @return the Redis key of its lease
   */
  public String leaseKey(String resource) {
    return keyPrefix + "lease:{" + resource + "}";
  }

  private static <T> RedisScript<T> script(String name, ScriptResult<T> result) {
    return RedisScript.fromResource(RedisLeaseStore.class, name, result);
  }

  /** Settings of a {@link RedisLeaseStore}. */
  public static final class Builder {
    private final StatefulConnection<?, ?> connection;
    private String keyPrefix = KeyPrefix.DEFAULT;
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
     * @param evictionCheck what to do if Redis may evict keys (default {@link
     *     EvictionCheck#REFUSE}: an evicted lease lets a second holder in)
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
    public RedisLeaseStore build() {
      return new RedisLeaseStore(this);
    }
  }
}
