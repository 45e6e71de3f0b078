package dev.keelson.retry;

import dev.keelson.core.internal.Listeners;
import org.jspecify.annotations.Nullable;

/**
 * The caller's listener behind {@link Listeners#notify}: what it throws is logged and ignored, so
 * it never changes a call's result or exception, skips no attempt and leaves no future incomplete.
 * A {@link Retry} wraps its listener once, when it is built, so every call site is guarded.
 */
final class GuardedListener implements RetryListener {

  private final RetryListener listener;

  private GuardedListener(RetryListener listener) {
    this.listener = listener;
  }

  /**
   * The listener, guarded. {@link RetryListener#NONE} stays as it is, since it cannot throw, and so
   * does a {@link CompositeRetryListener}, which guards each of its listeners.
   */
  static RetryListener of(RetryListener listener) {
    return listener == NONE || listener instanceof CompositeRetryListener
        ? listener
        : new GuardedListener(listener);
  }

  @Override
  public void onAttempt(String retry, int attempt) {
    Listeners.notify(listener, "onAttempt", l -> l.onAttempt(retry, attempt));
  }

  @Override
  public void onRetryScheduled(
      String retry, int nextAttempt, long delayNanos, @Nullable Throwable failure) {
    Listeners.notify(
        listener,
        "onRetryScheduled",
        l -> l.onRetryScheduled(retry, nextAttempt, delayNanos, failure));
  }

  @Override
  public void onBudgetRefused(String retry, int attempts, @Nullable Throwable failure) {
    Listeners.notify(listener, "onBudgetRefused", l -> l.onBudgetRefused(retry, attempts, failure));
  }

  @Override
  public void onDeadlineReached(String retry, int attempts, @Nullable Throwable failure) {
    Listeners.notify(
        listener, "onDeadlineReached", l -> l.onDeadlineReached(retry, attempts, failure));
  }

  @Override
  public void onGaveUp(String retry, StopReason reason, int attempts, @Nullable Throwable failure) {
    Listeners.notify(listener, "onGaveUp", l -> l.onGaveUp(retry, reason, attempts, failure));
  }

  @Override
  public void onSucceeded(String retry, int attempts) {
    Listeners.notify(listener, "onSucceeded", l -> l.onSucceeded(retry, attempts));
  }

  @Override
  public String toString() {
    return listener.toString();
  }
}
