package dev.keelson.retry;

import dev.keelson.core.internal.Listeners;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Tells each of several listeners, in order: what {@link RetryListener#of} returns. */
record CombinedRetryListener(List<RetryListener> all) implements RetryListener {

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
