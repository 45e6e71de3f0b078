package dev.keelson.leasing.redis;

import dev.keelson.core.EvictionCheck;
import dev.keelson.core.internal.Checks;
import dev.keelson.core.internal.redis.EvictionPolicy;
import dev.keelson.core.internal.redis.RedisScript;
import dev.keelson.core.internal.redis.RedisScriptRunner;
import dev.keelson.core.internal.redis.ScriptResult;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Makes Redis refuse a stale lease holder's writes: {@link #set} writes a value only for a fencing
 * token at least as high as any the key has accepted, in one script. The highest token lives beside
 * the value, under {@code <key>:fence}; it is kept for the fence retention (default 30 days, and
 * never less than the value's own ttl), so an older token is refused even after the value itself
 * expired. Tokens are compared exactly over the whole {@code long} range, and a key without a fence
 * accepts any first token, negative ones included. On a Cluster the key must carry a hash tag (for
 * example {@code {report}:latest}) so that both keys share a slot.
 *
 * <p>A fence that Redis loses lets a stale token through: after its retention, when Redis evicts it
 * (any {@code maxmemory-policy} other than {@code noeviction}: checked when the fence is built, see
 * {@link EvictionCheck}), or after a restart without persistence.
 */
public final class RedisFence {

  private static final RedisScript<Long> FENCED_SET =
      RedisScript.fromResource(RedisFence.class, "fenced_set.lua", ScriptResult.LONG);
  private static final Duration LONGEST_TTL = Duration.ofDays(365);

  private final RedisScriptRunner runner;
  private final boolean cluster;
  private final Duration fenceRetention;

  private RedisFence(Builder builder) {
    EvictionPolicy.check(
        builder.evictionCheck,
        builder.connection,
        "a Redis fence (an evicted fence admits a stale token)");
    this.runner = RedisScriptRunner.on(builder.connection);
    this.cluster = builder.connection instanceof StatefulRedisClusterConnection;
    this.fenceRetention = builder.fenceRetention;
  }

  /**
   * A fence with the defaults: fences kept 30 days, and a Redis that may evict keys refused.
   *
   * @param connection a standalone or Cluster connection, any codec; the caller owns it
   * @return the fence
   * @throws IllegalStateException if Redis may evict keys (see {@link EvictionCheck#REFUSE})
   */
  public static RedisFence on(StatefulConnection<?, ?> connection) {
    return builder(connection).build();
  }

  /**
   * @param connection a standalone or Cluster connection, any codec; the caller owns it
   * @return a builder
   */
  public static Builder builder(StatefulConnection<?, ?> connection) {
    return new Builder(connection);
  }

  /**
   * Writes a value if the token is not stale.
   *
   * @param key the value's key
   * @param value the value
   * @param token the writer's fencing token, any {@code long}
   * @param ttl how long the value lives, 1 ms to 365 days (its fence lives the fence retention, or
   *     this ttl if it is longer)
   * @return true if written; false if a newer token has written: nothing changed
   */
  public boolean set(String key, String value, long token, Duration ttl) {
    Checks.wellFormed("key", key);
    Checks.wellFormed("value", value);
    Checks.between("ttl", ttl, Duration.ofMillis(1), LONGEST_TTL);
    if (cluster && !hasHashTag(key)) {
      throw new IllegalArgumentException(
          "key: '" + key + "' needs a hash tag on a Redis Cluster, e.g. '{" + key + "}'");
    }
    long fenceMillis = Math.max(ttl.toMillis(), fenceRetention.toMillis());
    return runner.run(
            FENCED_SET,
            List.of(key, key + ":fence"),
            value,
            Long.toString(token),
            ttl.toMillis(),
            fenceMillis)
        == 1L;
  }

  /** Redis's rule: the first '{', the first '}' after it, and something between them. */
  private static boolean hasHashTag(String key) {
    int open = key.indexOf('{');
    int close = open < 0 ? -1 : key.indexOf('}', open + 1);
    return close > open + 1;
  }

  /** Settings of a {@link RedisFence}. */
  public static final class Builder {
    private final StatefulConnection<?, ?> connection;
    private Duration fenceRetention = Duration.ofDays(30);
    private EvictionCheck evictionCheck = EvictionCheck.REFUSE;

    private Builder(StatefulConnection<?, ?> connection) {
      this.connection = Objects.requireNonNull(connection, "connection");
    }

    /**
     * @param fenceRetention how long a key's highest token is kept after its last write: longer
     *     than any holder may stay paused (default 30 days; 1 second to 365 days)
     * @return this builder
     */
    public Builder fenceRetention(Duration fenceRetention) {
      this.fenceRetention =
          Checks.between("fenceRetention", fenceRetention, Duration.ofSeconds(1), LONGEST_TTL);
      return this;
    }

    /**
     * @param evictionCheck what to do if Redis may evict keys (default {@link
     *     EvictionCheck#REFUSE})
     * @return this builder
     */
    public Builder evictionCheck(EvictionCheck evictionCheck) {
      this.evictionCheck = Objects.requireNonNull(evictionCheck, "evictionCheck");
      return this;
    }

    /**
     * @return the fence
     * @throws IllegalStateException if Redis may evict keys and the check is {@link
     *     EvictionCheck#REFUSE}
     */
    public RedisFence build() {
      return new RedisFence(this);
    }
  }
}
