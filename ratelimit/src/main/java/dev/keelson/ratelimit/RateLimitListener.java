package dev.keelson.ratelimit;

import dev.keelson.core.internal.Listeners;

/**
 * Hears what a rate limiter decides and how its backend fares, for metrics and logs. Every event
 * carries the name of the limiter or hierarchy it comes from ({@code name(..)} on its builder), so
 * one listener can serve many and tag their events by name. Every method has an empty default;
 * implementations must be thread-safe and quick. Keys may identify people: do not log them at INFO
 * or above.
 *
 * <p>A listener that throws is logged (at WARN the first time for its class and event, at DEBUG
 * after) and ignored. It never changes a decision, never counts as a backend failure, and never
 * leaves a {@code decideAsync} future incomplete.
 */
public interface RateLimitListener {

  /** Hears nothing. A limiter with this listener does no work at all to report. */
  RateLimitListener NONE = new RateLimitListener() {};

  /**
   * One listener that tells each of the given ones every event, in order. One that throws is logged
   * and ignored, and the next is still told.
   *
   * @param listeners the listeners, in the order they are told
   * @return {@link #NONE} when none is given (or all are {@code NONE}), the listener itself when
   *     one is, else a listener that tells all
   * @throws NullPointerException if the array or one of its elements is null
   */
  static RateLimitListener of(RateLimitListener... listeners) {
    return Listeners.combine(listeners, NONE, CombinedRateLimitListener::new);
  }

  /**
   * A decision was made (in shadow mode: the real one, before it was turned into an allow; {@link
   * #onShadowAllowed} follows for a denial).
   *
   * @param limiter the name of the limiter or hierarchy that decided
   * @param key the rate-limited key (in a hierarchy, the key of the level that decided)
   * @param decision the decision
   * @param source who made it: the backend, the failure policy, the deny cache, or an in-process
   *     limiter
   */
  default void onDecision(String limiter, String key, Decision decision, DecisionSource source) {}

  /**
   * In shadow mode, a denial was let through: told right after {@link #onDecision} reported it, and
   * the caller got an allow instead.
   *
   * @param limiter the name of the limiter that let it through
   * @param key the rate-limited key
   * @param denial the real decision, a denial
   */
  default void onShadowAllowed(String limiter, String key, Decision denial) {}

  /**
   * The backend answered one decision after this long (for a hierarchy on a Cluster: all its round
   * trips, refunds excluded), measured with the limiter's ticker. Told before the {@link
   * #onDecision} of that decision; never for a decision of the failure policy, the deny cache or an
   * in-process limiter, nor for a failed call (that is {@link #onBackendError}).
   *
   * @param limiter the name of the limiter or hierarchy whose backend answered
   * @param latencyNanos from before the call to its answer, in nanoseconds
   */
  default void onBackendAnswered(String limiter, long latencyNanos) {}

  /**
   * The backend failed one call (timeout, connection lost, script error).
   *
   * @param limiter the name of the limiter or hierarchy whose call failed
   * @param error what went wrong
   */
  default void onBackendError(String limiter, Throwable error) {}

  /**
   * The backend is considered down: decisions follow the failure policy until it recovers.
   *
   * @param limiter the name of the limiter or hierarchy that falls back
   * @param cause the failure that tipped the breaker
   */
  default void onFallbackEntered(String limiter, Throwable cause) {}

  /**
   * The backend has answered for a whole stable period: decisions use it again.
   *
   * @param limiter the name of the limiter or hierarchy that uses its backend again
   */
  default void onFallbackLeft(String limiter) {}
}
