package dev.keelson.leasing.redis;

import dev.keelson.core.redis.KeyPrefix;
import dev.keelson.core.redis.RedisScript;
import dev.keelson.core.redis.RedisScriptRunner;
import dev.keelson.core.redis.ScriptResult;
import dev.keelson.leasing.LeaseStore;
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

  private RedisLeaseStore(StatefulConnection<?, ?> connection, String keyPrefix) {
    this.runner = RedisScriptRunner.on(Objects.requireNonNull(connection, "connection"));
    this.keyPrefix = KeyPrefix.check(keyPrefix);
  }

  /**
   * @param connection a standalone or Cluster connection, any codec; the caller owns it
   * @return a store with keys under {@code keelson:}
   */
  public static RedisLeaseStore on(StatefulConnection<?, ?> connection) {
    return new RedisLeaseStore(connection, "keelson:");
  }

  /**
   * @param connection a standalone or Cluster connection, any codec; the caller owns it
   * @param keyPrefix put before every key
   * @return the store
   */
  public static RedisLeaseStore on(StatefulConnection<?, ?> connection, String keyPrefix) {
    return new RedisLeaseStore(connection, keyPrefix);
  }

  @Override
  public Optional<Grant> tryAcquire(String resource, String owner, Duration ttl) {
    String key = leaseKey(resource);
    List<Object> reply =
        runner.run(
            ACQUIRE, List.of(key, key + ":token"), owner, ttl.toMillis(), TOKEN_RETENTION_MILLIS);
    if (reply.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Grant(resource, owner, (Long) reply.get(0), Instant.ofEpochMilli((Long) reply.get(1))));
  }

  @Override
  public Optional<Grant> renew(Grant grant, Duration ttl) {
    long expiry =
        runner.run(
            RENEW,
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
  public boolean release(Grant grant) {
    return runner.run(
            RELEASE,
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
}
