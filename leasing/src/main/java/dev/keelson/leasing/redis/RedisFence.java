package dev.keelson.leasing.redis;

import dev.keelson.core.redis.RedisScript;
import dev.keelson.core.redis.RedisScriptRunner;
import dev.keelson.core.redis.ScriptResult;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Makes Redis refuse a stale lease holder's writes: {@link #set} writes a value only for a fencing
 * token at least as high as any the key has accepted, in one script. The highest token lives beside
 * the value, under {@code <key>:fence}, with the same TTL. On a Cluster the key must carry a hash
 * tag (for example {@code {report}:latest}) so that both keys share a slot.
 */
public final class RedisFence {

  private static final RedisScript<Long> FENCED_SET =
      RedisScript.fromResource(RedisFence.class, "fenced_set.lua", ScriptResult.LONG);

  private final RedisScriptRunner runner;
  private final boolean cluster;

  private RedisFence(StatefulConnection<?, ?> connection) {
    this.runner = RedisScriptRunner.on(Objects.requireNonNull(connection, "connection"));
    this.cluster = connection instanceof StatefulRedisClusterConnection;
  }

  /**
   * @param connection a standalone or Cluster connection, any codec; the caller owns it
   * @return the fence
   */
  public static RedisFence on(StatefulConnection<?, ?> connection) {
    return new RedisFence(connection);
  }

  /**
   * Writes a value if the token is not stale.
   *
   * @param key the value's key
   * @param value the value
   * @param token the writer's fencing token
   * @param ttl how long the value (and its fence) live, at least 1 ms
   * @return true if written; false if a newer token has written: nothing changed
   */
  public boolean set(String key, String value, long token, Duration ttl) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("ttl: " + ttl + " is shorter than 1 ms");
    }
    if (cluster && !hasHashTag(key)) {
      throw new IllegalArgumentException(
          "key: '" + key + "' needs a hash tag on a Redis Cluster, e.g. '{" + key + "}'");
    }
    return runner.run(FENCED_SET, List.of(key, key + ":fence"), value, token, ttl.toMillis()) == 1L;
  }

  private static boolean hasHashTag(String key) {
    int open = key.indexOf('{');
    return open >= 0 && key.indexOf('}', open + 2) > open;
  }
}
