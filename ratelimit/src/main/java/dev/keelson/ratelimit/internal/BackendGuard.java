package dev.keelson.ratelimit.internal;

import dev.keelson.core.Ticker;
import dev.keelson.core.internal.Listeners;
import dev.keelson.ratelimit.RateLimitListener;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a remote backend for one limiter: its breaker, and the events its changes mean. The
 * limiter asks {@link #allowsCall()} before each call and reports how the call went.
 */
public final class BackendGuard {

  private static final Logger log = LoggerFactory.getLogger(BackendGuard.class);

  private final String name;
  private final Breaker breaker;
  private final Ticker ticker;
  private final RateLimitListener listener;
  private volatile Throwable lastFailure = new IllegalStateException("no failure yet");
  private boolean toldOpen; // guarded by this

  /**
   * @param name the limiter's name, for its events and the log
   * @param breaker its breaker
   * @param ticker the local clock
   * @param listener hears errors and fallback changes
   */
  public BackendGuard(String name, Breaker breaker, Ticker ticker, RateLimitListener listener) {
    this.name = name;
    this.breaker = breaker;
    this.ticker = ticker;
    this.listener = listener;
  }

  public boolean allowsCall() {
    return breaker.allowsCall(ticker.nanoTime());
  }

  /**
   * The ticker's reading to time a call from; 0 without a listener, which hears no latency (so the
   * hot path reads no clock for it).
   */
  public long callStarts() {
    return listener == RateLimitListener.NONE ? 0 : ticker.nanoTime();
  }

  /**
   * Tells the listener the backend answered a decision whose call started at {@code started} (a
   * reading of the ticker); without a listener, reads no clock.
   */
  public void answered(long started) {
    if (listener != RateLimitListener.NONE) {
      long latency = ticker.nanoTime() - started;
      Listeners.notify(listener, "onBackendAnswered", l -> l.onBackendAnswered(name, latency));
    }
  }

  public void succeeded() {
    if (breaker.onSuccess(ticker.nanoTime()) == Breaker.Transition.CLOSED) {
      tellBreakerState();
    }
  }

  /** Reports a failed call; returns its cause with any completion wrapper removed. */
  public Throwable failed(Throwable error) {
    Throwable cause =
        error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    Listeners.notify(listener, "onBackendError", l -> l.onBackendError(name, cause));
    lastFailure = cause;
    if (breaker.onFailure(ticker.nanoTime()) == Breaker.Transition.OPENED) {
      tellBreakerState();
    }
    return cause;
  }

  /**
   * Tells the breaker's state as it is now, if it differs from the last one told. The transitions
   * happen on many threads, and two told in the wrong order (a close before the open it ends) would
   * leave a listener's gauge open for good: told from the state, under one lock, they alternate and
   * end where the breaker is (a flap that ends before it is told goes untold).
   */
  private synchronized void tellBreakerState() {
    boolean open = breaker.state() != Breaker.State.CLOSED;
    if (open == toldOpen) {
      return;
    }
    toldOpen = open;
    if (open) {
      Throwable cause = lastFailure;
      log.warn("rate limiter '{}' falls back: its backend failed: {}", name, cause.toString());
      Listeners.notify(listener, "onFallbackEntered", l -> l.onFallbackEntered(name, cause));
    } else {
      log.info("rate limiter '{}' uses its backend again", name);
      Listeners.notify(listener, "onFallbackLeft", l -> l.onFallbackLeft(name));
    }
  }
}
