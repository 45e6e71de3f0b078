package dev.keelson.retry;

import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;

/** Runs a synchronous call: attempts on the calling thread, waits with the policy's sleeper. */
final class SyncLoop {

  private SyncLoop() {}

  /**
   * Runs the task until it succeeds or the policy stops it.
   *
   * @param started the execution, when the task needs it from the first attempt (it sees it as its
   *     {@link Attempt}); null to create it only after a first attempt that does not succeed, so
   *     that a call that succeeds at once allocates nothing
   */
  // NullAway: the result returned is the task's own, null only when the task returned null.
  @SuppressWarnings("NullAway")
  static <T> T call(RetryPolicy policy, Callable<T> task, @Nullable Execution started)
      throws Exception {
    Execution execution = started;
    long start = started != null ? started.startNanos() : policy.begin();
    while (true) {
      int number = execution != null ? execution.nextAttempt() : 1;
      policy.notifyAttempt(number);
      T result = null;
      Throwable failure = null;
      try {
        result = task.call();
      } catch (InterruptedException e) {
        throw (execution != null ? execution : new Execution(policy, start, 1)).interrupted(e);
      } catch (Throwable e) { // an Error too, so that it ends the call as it does asynchronously
        failure = e;
      }
      Next judged = policy.judge(result, failure);
      if (judged == Next.SUCCEEDED) {
        policy.succeeded(number);
        return result;
      }
      if (execution == null) {
        execution = new Execution(policy, start, 1);
      }
      Next next = execution.decide(judged, result, failure);
      if (next.stop == null) {
        policy.notifyRetryScheduled(number + 1, next.delayNanos, failure);
        next = sleep(execution, next);
      }
      if (next.stop != null) {
        Throwable thrown = execution.stop(next);
        if (thrown == null) {
          return result;
        }
        if (thrown instanceof Error) {
          throw (Error) thrown;
        }
        throw (Exception) thrown;
      }
    }
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
