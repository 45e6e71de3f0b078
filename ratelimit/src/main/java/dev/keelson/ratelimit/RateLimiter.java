package dev.keelson.ratelimit;

import java.util.concurrent.CompletionStage;

/**
 * Enforces a rate limit per key (a tenant, a user, an IP address). In-process ({@link
 * InProcessRateLimiter}) and Redis ({@code dev.keelson.ratelimit.redis.RedisRateLimiter})
 * implementations share this interface. Thread-safe.
 *
 * <p>A key is 1 to 512 characters without {@code '{'} or {@code '}'} (they would change how a Redis
 * Cluster places it) and without unpaired surrogates (they have no UTF-8 form: Lettuce would send
 * them as {@code '?'}, and two different keys would share one count). Every implementation rejects
 * other keys alike, with {@link IllegalArgumentException} ({@link NullPointerException} for a null
 * key, as for every null argument in Keelson), before anything is counted. A request for fewer than
 * 1 or more permits than the limit can ever grant is rejected the same way, not denied forever.
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
}
