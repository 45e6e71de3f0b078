package dev.keelson.ratelimit.redis;

import dev.keelson.core.internal.redis.KeyPrefix;
import dev.keelson.core.internal.redis.RedisScript;
import dev.keelson.core.internal.redis.ScriptResult;
import dev.keelson.ratelimit.Algorithm;
import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.RateLimit;
import dev.keelson.ratelimit.internal.Keys;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** The Lua scripts, the key layout and the reading of replies, shared by the Redis limiters. */
final class Scripts {

  static final RedisScript<Long> REFUND =
      RedisScript.fromResource(Scripts.class, "refund.lua", ScriptResult.LONG);
  private static final Map<Algorithm, RedisScript<List<Object>>> DECIDE =
      new EnumMap<>(Algorithm.class);

  static {
    for (Algorithm algorithm : Algorithm.values()) {
      DECIDE.put(
          algorithm,
          RedisScript.fromResource(
              Scripts.class, scriptName(algorithm) + ".lua", ScriptResult.LIST));
    }
  }

  private Scripts() {}

  static RedisScript<List<Object>> decide(Algorithm algorithm) {
    return Objects.requireNonNull(DECIDE.get(algorithm), "loaded for every algorithm");
  }

  /** The algorithm's name as the scripts know it, e.g. {@code token_bucket}. */
  static String scriptName(Algorithm algorithm) {
    return algorithm.name().toLowerCase(Locale.ROOT);
  }

  static String checkPrefix(String keyPrefix) {
    return KeyPrefix.check(keyPrefix);
  }

  /** {@code <prefix>rl:<rule>:{<key>}}: the key is its own hash tag. */
  static String redisKey(String keyPrefix, RateLimit limit, String key) {
    return keyPrefix + "rl:" + limit.name() + ":{" + Keys.check("key", key) + "}";
  }

  /** Redis keeps time in microseconds: a token bucket must refill at most once per microsecond. */
  static long periodMicros(RateLimit limit) {
    long micros = limit.period().toNanos() / 1_000;
    if (limit.algorithm() == Algorithm.TOKEN_BUCKET && micros / limit.limit() < 1) {
      throw new IllegalArgumentException(
          "limit: "
              + limit.limit()
              + " per "
              + limit.period()
              + " refills faster than one permit per microsecond, Redis's time resolution");
    }
    return micros;
  }

  static boolean allowed(List<Object> reply) {
    return (Long) reply.get(0) == 1L;
  }

  /** The level (0-based) that decided: the one that denied, or the tightest one. */
  static int decidingLevel(List<Object> reply) {
    return (int) ((Long) reply.get(1) - 1);
  }

  static Decision decision(List<Object> reply, RateLimit limit) {
    return Decision.of(
        allowed(reply),
        (Long) reply.get(2),
        limit.limit(),
        (Long) reply.get(3) * 1_000,
        (Long) reply.get(4) * 1_000,
        limit.name());
  }
}
