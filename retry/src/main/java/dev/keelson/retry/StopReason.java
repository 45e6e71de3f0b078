package dev.keelson.retry;

/** Why a call stopped retrying without a success. */
public enum StopReason {
  /** The outcome is not one the policy retries (or the policy aborts on it). */
  NOT_RETRYABLE,
  /** Every allowed attempt was made. */
  ATTEMPTS_EXHAUSTED,
  /** The retry budget refused the retry: the dependency is failing for many calls at once. */
  BUDGET_EXHAUSTED,
  /** The next attempt could not have finished before the call's deadline. */
  DEADLINE,
  /** The server asked for a longer wait ({@code Retry-After}) than the policy allows. */
  RETRY_AFTER_TOO_LONG,
  /** The calling thread was interrupted. */
  INTERRUPTED,
  /** The caller cancelled an asynchronous call. */
  CANCELLED,
  /**
   * A part of the policy threw instead of deciding: a {@code retryIf}, {@code abortIf} or {@code
   * retryIfResult} predicate, a {@code retryAfter} hint, the backoff, the budget, the ticker, the
   * sleeper or the scheduler. The call ends with the task's own outcome; its last failure carries
   * the policy's exception as a suppressed one.
   */
  POLICY_FAILED
}
