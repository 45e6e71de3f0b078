package dev.keelson.retry;

import org.jspecify.annotations.Nullable;

/**
 * Hears what a {@link Retry} does, for metrics and logs. Every method has an empty default;
 * implementations must be thread-safe and quick, since they run on the calling thread (or the
 * scheduler's, for asynchronous calls). Arguments are primitives so that a call allocates nothing
 * for its listener.
 *
 * <p>A listener that throws is logged (at WARN the first time for each listener class and event, at
 * DEBUG after) and ignored. It never changes a call's result or exception, skips no attempt, retry
 * or event, and leaves no asynchronous call incomplete. Errors of the virtual machine ({@link
 * VirtualMachineError}) pass through.
 */
public interface RetryListener {

  /** Hears nothing. */
  RetryListener NONE = new RetryListener() {};

  /**
   * An attempt starts.
   *
   * @param attempt 1 for the first
   */
  default void onAttempt(int attempt) {}

  /**
   * A retry will start after a delay. Asynchronously, it is told once the timer is set (a scheduler
   * that refuses the timer makes no retry, and none is told) and before the retry starts.
   * Synchronously, it is told before the wait; if the wait then fails (the thread is interrupted, a
   * sleeper throws), {@link #onGaveUp} follows. Either way, a retry that is not made is given back
   * to the budget ({@link RetryBudget#giveBackRetry}).
   *
   * @param nextAttempt the attempt that will start
   * @param delayNanos the wait before it
   * @param failure what the previous attempt threw, or null if it returned a retryable result
   */
  default void onRetryScheduled(int nextAttempt, long delayNanos, @Nullable Throwable failure) {}

  /**
   * The budget refused a retry; the call ends.
   *
   * @param attempts attempts made
   * @param failure the last failure, or null for a retryable result
   */
  default void onBudgetRefused(int attempts, @Nullable Throwable failure) {}

  /**
   * The deadline leaves no time for another attempt; the call ends.
   *
   * @param attempts attempts made
   * @param failure the last failure, or null for a retryable result
   */
  default void onDeadlineReached(int attempts, @Nullable Throwable failure) {}

  /**
   * The call ends without success for any other reason (attempts exhausted, not retryable, a {@code
   * Retry-After} too long, interrupted, cancelled).
   *
   * @param reason why
   * @param attempts attempts made
   * @param failure the last failure, or null for a retryable result
   */
  default void onGaveUp(StopReason reason, int attempts, @Nullable Throwable failure) {}

  /**
   * The call succeeded.
   *
   * @param attempts attempts it took
   */
  default void onSucceeded(int attempts) {}
}
