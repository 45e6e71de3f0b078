package dev.keelson.retry;

import dev.keelson.core.internal.Listeners;
import org.jspecify.annotations.Nullable;

/**
 * Hears what a {@link Retry} does, for metrics and logs. Every method has an empty default;
 * implementations must be thread-safe and quick, since they run on the calling thread (or the
 * scheduler's, for asynchronous calls). Every event carries the name of the retry policy that emits
 * it ({@link Retry.Builder#name}), so that one listener can serve many policies and tell them
 * apart; the other arguments are primitives so that a call allocates nothing for its listener.
 * Combine listeners with {@link #of}.
 *
 * <p>A listener that throws is logged (at WARN the first time for each listener class and event, at
 * DEBUG after) and ignored. It never changes a call's result or exception, skips no attempt, retry
 * or event, and leaves no asynchronous call incomplete. Errors of the virtual machine ({@link
 * VirtualMachineError}) pass through.
 */
public interface RetryListener {

  /** Hears nothing. A policy with this listener does no work at all to report. */
  RetryListener NONE = new RetryListener() {};

  /**
   * One listener that tells each of the given ones every event, in order. One that throws is logged
   * and ignored, and the next is still told.
   *
   * @param listeners the listeners, in the order they are told
   * @return {@link #NONE} when none is given (or all are {@code NONE}), the listener itself when
   *     one is, else a listener that tells all
   * @throws NullPointerException if the array or one of its elements is null
   */
  static RetryListener of(RetryListener... listeners) {
    return Listeners.combine(listeners, NONE, CombinedRetryListener::new);
  }

  /**
   * An attempt starts.
   *
   * @param retry the name of the retry policy
   * @param attempt 1 for the first
   */
  default void onAttempt(String retry, int attempt) {}

  /**
   * A retry will start after a delay. Asynchronously, it is told once the timer is set (a scheduler
   * that refuses the timer makes no retry, and none is told) and before the retry starts.
   * Synchronously, it is told before the wait; if the wait then fails (the thread is interrupted, a
   * sleeper throws), {@link #onGaveUp} follows. Either way, a retry that is not made is given back
   * to the budget ({@link RetryBudget#giveBackRetry}).
   *
   * @param retry the name of the retry policy
   * @param nextAttempt the attempt that will start
   * @param delayNanos the wait before it
   * @param failure what the previous attempt threw, or null if it returned a retryable result
   */
  default void onRetryScheduled(
      String retry, int nextAttempt, long delayNanos, @Nullable Throwable failure) {}

  /**
   * The budget refused a retry; the call ends.
   *
   * @param retry the name of the retry policy
   * @param attempts attempts made
   * @param failure the last failure, or null for a retryable result
   */
  default void onBudgetRefused(String retry, int attempts, @Nullable Throwable failure) {}

  /**
   * The deadline leaves no time for another attempt; the call ends.
   *
   * @param retry the name of the retry policy
   * @param attempts attempts made
   * @param failure the last failure, or null for a retryable result
   */
  default void onDeadlineReached(String retry, int attempts, @Nullable Throwable failure) {}

  /**
   * The call ends without success for any other reason (attempts exhausted, not retryable, a {@code
   * Retry-After} too long, interrupted, cancelled, a part of the policy failed).
   *
   * @param retry the name of the retry policy
   * @param reason why
   * @param attempts attempts made
   * @param failure the last failure, or null for a retryable result
   */
  default void onGaveUp(
      String retry, StopReason reason, int attempts, @Nullable Throwable failure) {}

  /**
   * The call succeeded.
   *
   * @param retry the name of the retry policy
   * @param attempts attempts it took
   */
  default void onSucceeded(String retry, int attempts) {}
}
