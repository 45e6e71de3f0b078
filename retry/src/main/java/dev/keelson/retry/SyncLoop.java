package dev.keelson.retry;

import org.jspecify.annotations.Nullable;

/** Runs a synchronous call: attempts on the calling thread, waits with the policy's sleeper. */
final class SyncLoop {

  private SyncLoop() {}

  /**
   * How an attempt runs a task of one shape (a {@code Callable}, a {@code RetryableCall}, a {@code
   * CheckedRunnable}). The invokers are static methods, so passing one allocates nothing.
   *
   * @param <X> the task's shape
   * @param <T> its result
   */
  @FunctionalInterface
  interface Invoker<X, T> {
    @Nullable T attempt(X task, @Nullable Execution execution) throws Exception;
  }

  /**
   * Runs the task until it succeeds or the policy stops it.
   *
   * @param started the execution, when the task needs it from the first attempt (it sees it as its
   *     {@link Attempt}); null to create it only after a first attempt that does not succeed, so
   *     that a call that succeeds at once allocates nothing
   */
  static <X, T> T call(
      RetryPolicy policy, X task, Invoker<X, T> invoker, @Nullable Execution started)
      throws Exception {
    Execution execution = started;
    long start = started != null ? started.startNanos() : policy.begin();
    while (true) {
      int number = execution != null ? execution.nextAttempt() : 1;
      policy.notifyAttempt(number);
      @Nullable T result = null;
      Throwable failure = null;
      try {
        result = invoker.attempt(task, execution);
      } catch (InterruptedException e) {
        throw (execution != null ? execution : new Execution(policy, start, 1)).interrupted(e);
      } catch (Throwable e) { // an Error too, so that it ends the call as it does asynchronously
        failure = e;
      }
      Next judged = policy.judge(result, failure);
      if (judged == Next.SUCCEEDED) {
        policy.succeeded(number);
        return asReturned(result);
      }
      if (execution == null) {
        execution = new Execution(policy, start, 1);
      }
      Next next = retryOrStop(execution, judged, number, result, failure);
      if (next.stop != null) {
        return stopped(execution, next, result);
      }
    }
  }

  // The failure path is kept out of call(), so that the path of a first attempt that succeeds
  // stays small enough for the JIT to inline whole into the caller.

  /** Decides after an attempt that did not succeed; if it retries, waits for the next attempt. */
  private static Next retryOrStop(
      Execution execution,
      @Nullable Next judged,
      int number,
      @Nullable Object result,
      @Nullable Throwable failure)
      throws InterruptedException {
    Next next = execution.decide(judged, result, failure);
    if (next.stop == null) {
      execution.policy().notifyRetryScheduled(number + 1, next.delayNanos, failure);
      next = sleep(execution, next);
    }
    return next;
  }

  /** Ends a call the policy stopped: the last result if it stands, else what the stop throws. */
  private static <T> T stopped(Execution execution, Next next, @Nullable T result)
      throws Exception {
    Throwable thrown = execution.stop(next);
    if (thrown == null) {
      return asReturned(result);
    }
    if (thrown instanceof Error) {
      throw (Error) thrown;
    }
    throw (Exception) thrown;
  }

  // NullAway: the task's own result, null only when the task returned null.
  @SuppressWarnings("NullAway")
  private static <T> T asReturned(@Nullable T result) {
    return result;
  }

  /**
   * Waits before the next attempt; a sleeper that throws stops the call. A wait that does not end
   * (interrupted, or the sleeper threw) gives its retry back to the budget.
   */
  private static Next sleep(Execution execution, Next next) throws InterruptedException {
    RetryPolicy policy = execution.policy();
    try {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("interrupted before attempt " + (execution.number() + 1));
      }
      policy.sleeper.sleep(next.delayNanos);
      return next;
    } catch (InterruptedException e) {
      policy.retryNotMade();
      throw execution.interrupted(e);
    } catch (Throwable e) {
      policy.retryNotMade();
      return Next.policyFailed(e);
    }
  }
}
