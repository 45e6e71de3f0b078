package dev.keelson.retry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@link RetryListener#of} returns for two or more listeners: tells each in turn, each behind
 * its own {@link GuardedListener}, so one that throws does not keep the next from hearing.
 */
final class CompositeRetryListener implements RetryListener {

  private final RetryListener[] listeners;

  /** The guarded listeners, told in this order. */
  private final RetryListener[] guarded;

  private CompositeRetryListener(RetryListener[] listeners) {
    this.listeners = listeners;
    this.guarded = new RetryListener[listeners.length];
    for (int i = 0; i < listeners.length; i++) {
      guarded[i] = GuardedListener.of(listeners[i]);
    }
  }

  static RetryListener of(RetryListener... listeners) {
    Objects.requireNonNull(listeners, "listeners");
    List<RetryListener> told = new ArrayList<>(listeners.length);
    for (int i = 0; i < listeners.length; i++) {
      RetryListener listener = Objects.requireNonNull(listeners[i], "listeners[" + i + "]");
      // NONE hears nothing: leaving it out keeps a policy given only NONE on its no-op path.
      if (listener != NONE) {
        told.add(listener);
      }
    }
    if (told.isEmpty()) {
      return NONE;
    }
    return told.size() == 1
        ? told.get(0)
        : new CompositeRetryListener(told.toArray(new RetryListener[0]));
  }

  @Override
  public void onAttempt(String retry, int attempt) {
    for (RetryListener listener : guarded) {
      listener.onAttempt(retry, attempt);
    }
  }

  @Override
  public void onRetryScheduled(
      String retry, int nextAttempt, long delayNanos, @Nullable Throwable failure) {
    for (RetryListener listener : guarded) {
      listener.onRetryScheduled(retry, nextAttempt, delayNanos, failure);
    }
  }

  @Override
  public void onBudgetRefused(String retry, int attempts, @Nullable Throwable failure) {
    for (RetryListener listener : guarded) {
      listener.onBudgetRefused(retry, attempts, failure);
    }
  }

  @Override
  public void onDeadlineReached(String retry, int attempts, @Nullable Throwable failure) {
    for (RetryListener listener : guarded) {
      listener.onDeadlineReached(retry, attempts, failure);
    }
  }

  @Override
  public void onGaveUp(String retry, StopReason reason, int attempts, @Nullable Throwable failure) {
    for (RetryListener listener : guarded) {
      listener.onGaveUp(retry, reason, attempts, failure);
    }
  }

  @Override
  public void onSucceeded(String retry, int attempts) {
    for (RetryListener listener : guarded) {
      listener.onSucceeded(retry, attempts);
    }
  }

  @Override
  public String toString() {
    return "RetryListener.of" + List.of(listeners);
  }
}
