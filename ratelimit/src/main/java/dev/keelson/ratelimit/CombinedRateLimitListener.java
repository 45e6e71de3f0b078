package dev.keelson.ratelimit;

import dev.keelson.core.internal.Listeners;
import java.util.List;

/** Tells each of several listeners, in order: what {@link RateLimitListener#of} returns. */
record CombinedRateLimitListener(List<RateLimitListener> all) implements RateLimitListener {

  @Override
  public void onDecision(String limiter, String key, Decision decision, DecisionSource source) {
    Listeners.each(all, "onDecision", l -> l.onDecision(limiter, key, decision, source));
  }

  @Override
  public void onShadowAllowed(String limiter, String key, Decision denial) {
    Listeners.each(all, "onShadowAllowed", l -> l.onShadowAllowed(limiter, key, denial));
  }

  @Override
  public void onBackendAnswered(String limiter, long latencyNanos) {
    Listeners.each(all, "onBackendAnswered", l -> l.onBackendAnswered(limiter, latencyNanos));
  }

  @Override
  public void onBackendError(String limiter, Throwable error) {
    Listeners.each(all, "onBackendError", l -> l.onBackendError(limiter, error));
  }

  @Override
  public void onFallbackEntered(String limiter, Throwable cause) {
    Listeners.each(all, "onFallbackEntered", l -> l.onFallbackEntered(limiter, cause));
  }

  @Override
  public void onFallbackLeft(String limiter) {
    Listeners.each(all, "onFallbackLeft", l -> l.onFallbackLeft(limiter));
  }
}
