package dev.keelson.ratelimit;

import dev.keelson.core.internal.Listeners;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What {@link RateLimitListener#of} returns for two or more listeners: tells each in turn. */
final class CompositeRateLimitListener implements RateLimitListener {

  private final RateLimitListener[] listeners;

  private CompositeRateLimitListener(RateLimitListener[] listeners) {
    this.listeners = listeners;
  }

  static RateLimitListener of(RateLimitListener... listeners) {
    Objects.requireNonNull(listeners, "listeners");
    List<RateLimitListener> told = new ArrayList<>(listeners.length);
    for (int i = 0; i < listeners.length; i++) {
      RateLimitListener listener = Objects.requireNonNull(listeners[i], "listeners[" + i + "]");
      // NONE hears nothing: leaving it out keeps a limiter given only NONE on its no-op path.
      if (listener != NONE) {
        told.add(listener);
      }
    }
    if (told.isEmpty()) {
      return NONE;
    }
    return told.size() == 1
        ? told.get(0)
        : new CompositeRateLimitListener(told.toArray(new RateLimitListener[0]));
  }

  @Override
  public void onDecision(String limiter, String key, Decision decision) {
    for (RateLimitListener listener : listeners) {
      Listeners.notify(listener, "onDecision", l -> l.onDecision(limiter, key, decision));
    }
  }

  @Override
  public void onBackendError(String limiter, Throwable error) {
    for (RateLimitListener listener : listeners) {
      Listeners.notify(listener, "onBackendError", l -> l.onBackendError(limiter, error));
    }
  }

  @Override
  public void onFallbackEntered(String limiter, Throwable cause) {
    for (RateLimitListener listener : listeners) {
      Listeners.notify(listener, "onFallbackEntered", l -> l.onFallbackEntered(limiter, cause));
    }
  }

  @Override
  public void onFallbackLeft(String limiter) {
    for (RateLimitListener listener : listeners) {
      Listeners.notify(listener, "onFallbackLeft", l -> l.onFallbackLeft(limiter));
    }
  }

  @Override
  public String toString() {
    return "RateLimitListener.of" + List.of(listeners);
  }
}
