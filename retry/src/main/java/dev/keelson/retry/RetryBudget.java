package dev.keelson.retry;

/**
 * Limits retries across every call to one dependency, so that when the dependency fails as a whole
 * the callers add only a little load instead of multiplying it. One budget object is shared by all
 * calls to the dependency; implementations are thread-safe and lock-free.
 *
 * <p>Two implementations ship: {@link RatioRetryBudget} (retries up to a share of recent requests,
 * as Finagle and the Google SRE book do) and {@link TokenBucketRetryBudget} (a quota that retries
 * spend and successes refill, as the AWS SDKs do).
 */
public interface RetryBudget {

  /** A call is about to make its first attempt. */
  void onRequest();

  /**
   * Asks for one retry; a {@code true} answer spends it.
   *
   * @return whether the retry may go ahead
   */
  boolean tryAcquireRetry();

  /**
   * Gives back a retry that {@link #tryAcquireRetry} granted and that will not be made: its wait
   * could not start (a scheduler that refuses the timer, a sleeper that throws), was interrupted,
   * or the call was cancelled while it waited. The default keeps it spent.
   */
  default void giveBackRetry() {}

  /**
   * A call succeeded.
   *
   * @param retried whether it needed at least one retry
   */
  void onSuccess(boolean retried);

  /**
   * How many retries the budget would grant now, if no other call asked first: the level a metrics
   * gauge shows. A snapshot; it may be stale by the time it is read.
   *
   * @return retries that {@link #tryAcquireRetry} would grant in a row now, from zero
   */
  long retriesAvailable();
}
