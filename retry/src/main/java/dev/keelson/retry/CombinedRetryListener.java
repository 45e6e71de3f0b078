package dev.keelson.retry;

import dev.keelson.core.internal.Listeners;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Tells each of several listeners, in order: what {@link RetryListener#of} returns. A {@link Retry}
 * also puts a single listener behind one, so what it throws is logged and ignored at every call
 * site: it never changes a call's result or exception, skips no attempt and leaves no future
 * incomplete.
 */
record CombinedRetryListener(List<RetryListener> all) implements RetryListener {

  /** The listener, guarded; {@link RetryListener#NONE} and a combined one already are. */
  static RetryListener guarded(RetryListener listener) {
    return listener == NONE || listener instanceof CombinedRetryListener
        ? listener
        : new CombinedRetryListener(List.of(listener));
  }

  @Override
  public void onAttempt(String retry, int attempt) {
    Listeners.each(all, "onAttempt", l -> l.onAttempt(retry, attempt));
  }

  @Override
  public void onRetryScheduled(
      String retry, int nextAttempt, long delayNanos, @Nullable Throwable failure) {
    Listeners.each(
        all, "onRetryScheduled", l -> l.onRetryScheduled(retry, nextAttempt, delayNanos, failure));
  }

  @Override
  public void onBudgetRefused(String retry, int attempts, @Nullable Throwable failure) {
    Listeners.each(all, "onBudgetRefused", l -> l.onBudgetRefused(retry, attempts, failure));
  }

  @Override
  public void onDeadlineReached(String retry, int attempts, @Nullable Throwable failure) {
    Listeners.each(all, "onDeadlineReached", l -> l.onDeadlineReached(retry, attempts, failure));
  }

  @Override
  public void onGaveUp(String retry, StopReason reason, int attempts, @Nullable Throwable failure) {
    Listeners.each(all, "onGaveUp", l -> l.onGaveUp(retry, reason, attempts, failure));
  }

  @Override
  public void onSucceeded(String retry, int attempts) {
    Listeners.each(all, "onSucceeded", l -> l.onSucceeded(retry, attempts));
  }
}
