package dev.keelson.ratelimit;

import java.util.concurrent.CompletionStage;

/**
 * Enforces a rate limit per key (a tenant, a user, an IP address). In-process ({@link
 * InProcessRateLimiter}) and Redis ({@code dev.keelson.ratelimit.redis.RedisRateLimiter})
 * implementations share this interface. Thread-safe.
 *
 * <p>A key is 1 to 512 characters without {@code '{'} or {@code '}'} (they would change how a Redis
 * Cluster places it). A request for fewer than 1 or more permits than the limit can ever grant is
 * rejected with {@link IllegalArgumentException}, not denied forever.
 */
public interface RateLimiter {

  /**
   * Takes permits if the limit allows.
   *
   * @param key whose limit
   * @param permits the request's cost
   * @return whether they were granted
   */
  default boolean tryAcquire(String key, int permits) {
    return decide(key, permits).allowed();
  }

  /**
   * Takes permits if the limit allows, and says what is left.
   *
   * @param key whose limit
   * @param permits the request's cost
   * @return the decision
   */
  Decision decide(String key, int permits);

  /**
   * As {@link #decide}, without blocking the calling thread.
   *
   * @param key whose limit
   * @param permits the request's cost
   * @return the decision
   */
  CompletionStage<Decision> decideAsync(String key, int permits);

  /** Checks a key; shared by the implementations so they reject the same keys. */
  static String checkKey(String key) {
    if (key == null || key.isEmpty() || key.length() > 512) {
      throw new IllegalArgumentException(
          "key: must be 1 to 512 characters, got "
              + (key == null ? "null" : key.length() + " characters"));
    }
    if (key.indexOf('{') >= 0 || key.indexOf('}') >= 0) {
      throw new IllegalArgumentException("key: '" + key + "' must not contain '{' or '}'");
    }
    return key;
  }
}
