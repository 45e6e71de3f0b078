package dev.keelson.ratelimit;

/**
 * Hears what a rate limiter decides and how its backend fares, for metrics and logs. Every method
 * has an empty default; implementations must be thread-safe and quick. Keys may identify people: do
 * not log them at INFO or above.
 *
 * <p>A listener that throws is logged (at WARN the first time for its class and event, at DEBUG
 * after) and ignored. It never changes a decision, never counts as a backend failure, and never
 * leaves a {@code decideAsync} future incomplete.
 */
public interface RateLimitListener {

  /** Hears nothing. */
  RateLimitListener NONE = new RateLimitListener() {};

  /**
   * A decision was made (in shadow mode: the real one, before it was turned into an allow).
   *
   * @param key the rate-limited key
   * @param decision the decision
   */
  default void onDecision(String key, Decision decision) {}

  /**
   * The backend failed one call (timeout, connection lost, script error).
   *
   * @param error what went wrong
   */
  default void onBackendError(Throwable error) {}

  /**
   * The backend is considered down: decisions follow the failure policy until it recovers.
   *
   * @param cause the failure that tipped the breaker
   */
  default void onFallbackEntered(Throwable cause) {}

  /** The backend has answered for a whole stable period: decisions use it again. */
  default void onFallbackLeft() {}
}
