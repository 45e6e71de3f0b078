package dev.keelson.retry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One call under a {@link RetryPolicy}: the attempts made, when the call started, the failures so
 * far, the last wait, and the decision after each attempt: retry after how long, or stop and why.
 * The synchronous loop ({@link SyncLoop}) and {@link AsyncExecution} both drive one; what they
 * share is decided here once. The task sees it as its {@link Attempt}.
 *
 * <p>Not thread-safe: an asynchronous call's attempts follow one another, each one's decision
 * happening before the next attempt starts.
 */
final class Execution extends Attempt {

  private final RetryPolicy policy;
  private final long startNanos;
  private int number;

  /** What the last attempt threw, once decided on; null while an attempt runs or on a result. */
  private @Nullable Throwable lastFailure;

  /** Failures of the attempts before the last one, suppressed on what the call throws. */
  private @Nullable List<Throwable> earlier;

  private long previousDelayNanos;

  /**
   * @param startNanos the ticker's reading when the call started ({@link RetryPolicy#begin})
   * @param attemptsMade attempts already made: 1 when the first ran before the execution existed
   */
  Execution(RetryPolicy policy, long startNanos, int attemptsMade) {
    this.policy = policy;
    this.startNanos = startNanos;
    this.number = attemptsMade;
  }

  /** Starts a call whose first attempt is yet to run. */
  static Execution start(RetryPolicy policy) {
    return new Execution(policy, policy.begin(), 0);
  }

  RetryPolicy policy() {
    return policy;
  }

  long startNanos() {
    return startNanos;
  }

  /** The next attempt starts: the last failure joins the earlier ones. */
  int nextAttempt() {
    if (lastFailure != null) {
      List<Throwable> list = earlier != null ? earlier : new ArrayList<>(2);
      list.add(lastFailure);
      earlier = list;
      lastFailure = null;
    }
    return ++number;
  }

  /** What follows the attempt that just ended; it never throws. */
  Next next(@Nullable Object result, @Nullable Throwable failure) {
    Next judged = policy.judge(result, failure);
    return judged == Next.SUCCEEDED ? judged : decide(judged, result, failure);
  }

  /**
   * What follows an attempt that did not succeed; it never throws.
   *
   * @param judged what {@link RetryPolicy#judge} said when it did not leave the decision here
   */
  Next decide(@Nullable Next judged, @Nullable Object result, @Nullable Throwable failure) {
    lastFailure = failure;
    Next next = judged != null ? judged : retryOrStop(result, failure);
    if (next.stop == null) {
      previousDelayNanos = next.delayNanos;
    }
    return next;
  }

  /**
   * Decides whether to retry and after how long. The budget is asked last, so a retry that the
   * deadline forbids spends nothing. A hint, backoff, budget or ticker that throws stops the call
   * with {@link StopReason#POLICY_FAILED}.
   */
  private Next retryOrStop(@Nullable Object result, @Nullable Throwable failure) {
    try {
      if (failure != null && !policy.retries(failure)) {
        return Next.stop(StopReason.NOT_RETRYABLE);
      }
      if (number >= policy.maxAttempts) {
        return Next.stop(StopReason.ATTEMPTS_EXHAUSTED);
      }
      long delay = policy.hintNanos(failure != null ? failure : result);
      if (delay > policy.maxRetryAfterNanos) {
        return Next.stop(StopReason.RETRY_AFTER_TOO_LONG);
      }
      if (delay < 0) {
        delay = policy.backoffNanos(number, previousDelayNanos);
      }
      if (policy.hasDeadline) {
        long remaining = remainingNanos();
        long minimum = policy.minimumAttemptNanos;
        if (remaining <= minimum || delay >= remaining - minimum) {
          return Next.stop(StopReason.DEADLINE);
        }
      }
      if (!policy.tryAcquireRetry()) {
        return Next.stop(StopReason.BUDGET_EXHAUSTED);
      }
      return Next.retryAfter(delay);
    } catch (Throwable e) {
      return Next.policyFailed(e);
    }
  }

  /** The call succeeded with the attempt that just ended. */
  void succeeded() {
    policy.succeeded(number);
  }

  /**
   * Ends a call that will not retry: tells the listener, and returns what the caller gets: the last
   * failure to throw, with the earlier failures, the policy's own failure and the stop marker
   * suppressed on it; or null to return the last result (the policy's failure, if any, logged).
   */
  @Nullable Throwable stop(Next next) {
    StopReason reason = Objects.requireNonNull(next.stop, "stop");
    Throwable failure = lastFailure;
    policy.notifyStopped(reason, number, failure);
    Throwable policyFailure = next.policyFailure;
    if (failure == null) {
      if (policyFailure != null) {
        policy.policyFailedOutsideAFailure("deciding on a result", policyFailure);
      }
      return null;
    }
    suppressEarlierOn(failure);
    if (policyFailure != null && policyFailure != failure) {
      failure.addSuppressed(policyFailure);
    }
    if (reason != StopReason.NOT_RETRYABLE) {
      failure.addSuppressed(new RetryStoppedException(reason, number));
    }
    return failure;
  }

  /**
   * Ends a synchronous call whose thread was interrupted, in an attempt or in a wait: the interrupt
   * flag is set again, and the interruption carries every failure so far.
   */
  InterruptedException interrupted(InterruptedException interruption) {
    Thread.currentThread().interrupt();
    policy.notifyStopped(StopReason.INTERRUPTED, number, lastFailure);
    suppressEarlierOn(interruption);
    if (lastFailure != null && lastFailure != interruption) {
      interruption.addSuppressed(lastFailure);
    }
    return interruption;
  }

  private void suppressEarlierOn(Throwable thrown) {
    if (earlier == null) {
      return;
    }
    for (Throwable previous : earlier) {
      if (previous != thrown) { // a task may throw one instance again
        thrown.addSuppressed(previous);
      }
    }
  }

  @Override
  public int number() {
    return number;
  }

  @Override
  public Optional<Duration> remaining() {
    return policy.hasDeadline ? Optional.of(Duration.ofNanos(remainingNanos())) : Optional.empty();
  }

  /**
   * Computed from the time elapsed, a difference of two readings, so that it holds wherever the
   * ticker's origin lies (a reading near {@code Long.MAX_VALUE} wraps, as {@link System#nanoTime()}
   * may) and for any deadline up to {@code Long.MAX_VALUE}.
   */
  @Override
  public long remainingNanos() {
    if (!policy.hasDeadline) {
      return Long.MAX_VALUE;
    }
    long elapsed = Math.max(0, policy.ticker.nanoTime() - startNanos);
    return Math.max(0, policy.deadlineNanos - elapsed);
  }
}
