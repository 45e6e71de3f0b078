package dev.keelson.ratelimit;

/**
 * Who made a decision a {@link RateLimitListener} hears about ({@link
 * RateLimitListener#onDecision}), so that metrics can tell Redis's answers from the local ones.
 */
public enum DecisionSource {
  /** The backend (Redis) made the decision. */
  BACKEND,
  /** The failure policy made it, because the backend failed this call or the breaker is open. */
  FALLBACK,
  /** This JVM's local deny cache answered a denial it already knew, without a round trip. */
  DENY_CACHE,
  /**
   * An in-process limiter ({@link LocalRateLimiter}, {@link InProcessRateLimiter}, {@link
   * InProcessRateLimitHierarchy}) decided.
   */
  IN_PROCESS
}
