package dev.keelson.ratelimit.redis;

import dev.keelson.core.redis.RedisScript;
import dev.keelson.core.redis.RedisScriptRunner;
import dev.keelson.core.redis.ScriptResult;
import dev.keelson.ratelimit.Algorithm;
import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.RateLimit;
import dev.keelson.ratelimit.RateLimiter;
import io.lettuce.core.api.StatefulConnection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * A rate limit per key on Redis: each decision is one {@code EVALSHA} of the algorithm's script,
 * timed by the server's clock ({@code TIME}), so every JVM shares one count. Works on a standalone
 * connection and on a Cluster connection (each key carries its own hash tag).
 *
 * <p>Keys: {@code <prefix>rl:<rule name>:{<key>}}, each with a TTL: a key vanishes once its state
 * would read as new (a full bucket, or two windows). Redis keeps time in microseconds, so a token
 * bucket's refill interval must be at least 1 µs.
 *
 * <pre>{@code
 * RedisRateLimiter limiter = RedisRateLimiter.builder(connection, RateLimit.tokenBucket("tenant", 100, Duration.ofSeconds(1))).build();
 * Decision decision = limiter.decide("acme", 1);
 * }</pre>
 */
public final class RedisRateLimiter implements RateLimiter {

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.:-]{0,64}");
  private static final Map<Algorithm, RedisScript<List<Object>>> SCRIPTS = scripts();

  private final RateLimit limit;
  private final RedisScriptRunner runner;
  private final RedisScript<List<Object>> script;
  private final String keyPrefix;
  private final long periodMicros;

  private RedisRateLimiter(Builder builder) {
    this.limit = builder.limit;
    this.runner = RedisScriptRunner.on(builder.connection);
    this.script = SCRIPTS.get(limit.algorithm());
    this.keyPrefix = builder.keyPrefix + "rl:" + limit.name() + ":{";
    this.periodMicros = limit.period().toNanos() / 1_000;
    if (limit.algorithm() == Algorithm.TOKEN_BUCKET && periodMicros / limit.limit() < 1) {
      throw new IllegalArgumentException(
          "limit: "
              + limit.limit()
              + " per "
              + limit.period()
              + " refills faster than one permit per microsecond, Redis's time resolution");
    }
  }

  /**
   * @param connection a standalone or Cluster connection, any codec; the caller owns it
   * @param limit the rule, for every key
   * @return a builder
   */
  public static Builder builder(StatefulConnection<?, ?> connection, RateLimit limit) {
    return new Builder(connection, limit);
  }

  @Override
  public Decision decide(String key, int permits) {
    limit.checkPermits(permits);
    return decision(runner.run(script, keys(key), permits, limit.limit(), periodMicros));
  }

  @Override
  public CompletionStage<Decision> decideAsync(String key, int permits) {
    limit.checkPermits(permits);
    return runner
        .runAsync(script, keys(key), permits, limit.limit(), periodMicros)
        .thenApply(this::decision);
  }

  /**
   * @param key a rate-limited key
   * @return the Redis key its state lives under
   */
  public String redisKey(String key) {
    return keyPrefix + RateLimiter.checkKey(key) + "}";
  }

  public RateLimit limit() {
    return limit;
  }

  private List<String> keys(String key) {
    return List.of(redisKey(key));
  }

  private Decision decision(List<Object> reply) {
    return new Decision(
        ((Long) reply.get(0)) == 1L,
        (Long) reply.get(2),
        limit.limit(),
        (Long) reply.get(3) * 1_000,
        (Long) reply.get(4) * 1_000,
        limit.name());
  }

  private static Map<Algorithm, RedisScript<List<Object>>> scripts() {
    Map<Algorithm, RedisScript<List<Object>>> scripts = new EnumMap<>(Algorithm.class);
    scripts.put(Algorithm.TOKEN_BUCKET, load("token_bucket.lua"));
    scripts.put(Algorithm.SLIDING_WINDOW, load("sliding_window.lua"));
    scripts.put(Algorithm.SLIDING_LOG, load("sliding_log.lua"));
    scripts.put(Algorithm.FIXED_WINDOW, load("fixed_window.lua"));
    return scripts;
  }

  private static RedisScript<List<Object>> load(String name) {
    return RedisScript.fromResource(RedisRateLimiter.class, name, ScriptResult.LIST);
  }

  @Override
  public String toString() {
    return "RedisRateLimiter[" + limit + ", keys " + keyPrefix + "<key>}]";
  }

  /** Settings of a {@link RedisRateLimiter}. */
  public static final class Builder {
    private final StatefulConnection<?, ?> connection;
    private final RateLimit limit;
    private String keyPrefix = "keelson:";

    private Builder(StatefulConnection<?, ?> connection, RateLimit limit) {
      this.connection = Objects.requireNonNull(connection, "connection");
      this.limit = Objects.requireNonNull(limit, "limit");
    }

    /**
     * @param keyPrefix put before every key: up to 64 letters, digits, '_', '.', ':' or '-'
     *     (default {@code keelson:})
     * @return this builder
     */
    public Builder keyPrefix(String keyPrefix) {
      Objects.requireNonNull(keyPrefix, "keyPrefix");
      if (!PREFIX.matcher(keyPrefix).matches()) {
        throw new IllegalArgumentException(
            "keyPrefix: '"
                + keyPrefix
                + "' must be up to 64 letters, digits, '_', '.', ':' or '-'");
      }
      this.keyPrefix = keyPrefix;
      return this;
    }

    public RedisRateLimiter build() {
      return new RedisRateLimiter(this);
    }
  }
}
