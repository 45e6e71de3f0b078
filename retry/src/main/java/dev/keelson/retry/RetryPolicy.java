package dev.keelson.retry;

import dev.keelson.core.Ticker;
import dev.keelson.core.internal.Listeners;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The settings of a {@link Retry}, fixed when it is built, and what they answer for any call: which
 * outcomes succeed or are retried, how long to wait, whether the budget grants a retry, and whom to
 * tell. What one call has done so far is its {@link Execution}'s.
 */
final class RetryPolicy {

  // Logged under Retry, the class users configure and look for in their logging setup.
  private static final Logger log = LoggerFactory.getLogger(Retry.class);

  private final String name;
  final int maxAttempts;
  private final Backoff backoff;
  final boolean hasDeadline;
  final long deadlineNanos;
  final long minimumAttemptNanos;
  final long maxRetryAfterNanos;
  private final Outcomes outcomes;
  private final @Nullable RetryBudget budget;
  private final RetryListener listener;
  final Ticker ticker;
  final Sleeper sleeper;
  private final @Nullable RandomGenerator random;
  private final AtomicBoolean policyFailureLogged = new AtomicBoolean();

  RetryPolicy(Retry.Builder builder) {
    this.name = builder.name;
    this.maxAttempts = builder.maxAttempts;
    this.backoff = builder.backoff;
    this.hasDeadline = builder.deadlineNanos > 0;
    this.deadlineNanos = builder.deadlineNanos;
    this.minimumAttemptNanos = builder.minimumAttemptNanos;
    this.maxRetryAfterNanos = builder.maxRetryAfterNanos;
    this.outcomes =
        new Outcomes(
            builder.retryFailures, builder.abortFailures, builder.retryResults, builder.hints);
    this.budget =
        builder.withoutBudget
            ? null
            : builder.budget != null
                ? builder.budget
                : RatioRetryBudget.builder().ticker(builder.ticker).build();
    this.listener = builder.listener;
    this.ticker = builder.ticker;
    this.sleeper = builder.sleeper;
    this.random = builder.random;
  }

  String name() {
    return name;
  }

  @Nullable RetryBudget budget() {
    return budget;
  }

  /**
   * Starts a call: tells the budget, and returns the ticker's reading, read only if there is a
   * deadline (0 otherwise). A budget that cannot count the request does not stop the call: a first
   * attempt is not a retry.
   */
  long begin() {
    if (budget != null) {
      try {
        budget.onRequest();
      } catch (Throwable e) {
        policyFailedOutsideAFailure("budget.onRequest", e);
      }
    }
    return hasDeadline ? ticker.nanoTime() : 0;
  }

  /**
   * Whether an attempt's outcome ends the call in success; it never throws. Returns {@link
   * Next#SUCCEEDED}; null when the outcome is a failure, or a result a rule retries, on which the
   * execution decides; a {@link StopReason#POLICY_FAILED} stop when a result rule threw.
   */
  @Nullable Next judge(@Nullable Object result, @Nullable Throwable failure) {
    if (failure != null) {
      return null;
    }
    try {
      return outcomes.retriesResult(result) ? null : Next.SUCCEEDED;
    } catch (Throwable e) {
      return Next.policyFailed(e);
    }
  }

  boolean retries(Throwable failure) {
    return outcomes.retries(failure);
  }

  /** The server's retry-after hint carried by a result or failure, or -1 for none. */
  long hintNanos(@Nullable Object outcome) {
    return outcomes.retryAfterNanos(outcome);
  }

  /** The backoff's wait before the retry that follows an attempt, never negative. */
  long backoffNanos(int attempt, long previousDelayNanos) {
    RandomGenerator jitter = random != null ? random : ThreadLocalRandom.current();
    return Math.max(0, backoff.delayNanos(attempt, previousDelayNanos, jitter));
  }

  /** Whether the budget grants a retry; always without a budget. */
  boolean tryAcquireRetry() {
    return budget == null || budget.tryAcquireRetry();
  }

  /**
   * A retry the budget granted will not be made: it is given back. A budget that cannot take it
   * back changes nothing else (logged as any policy failure outside a task's).
   */
  void retryNotMade() {
    if (budget != null) {
      try {
        budget.giveBackRetry();
      } catch (Throwable e) {
        policyFailedOutsideAFailure("budget.giveBackRetry", e);
      }
    }
  }

  /** A call succeeded; a budget that cannot count it does not change the result. */
  void succeeded(int attempts) {
    if (budget != null) {
      try {
        budget.onSuccess(attempts > 1);
      } catch (Throwable e) {
        policyFailedOutsideAFailure("budget.onSuccess", e);
      }
    }
    if (listener != RetryListener.NONE) {
      Listeners.notify(listener, "onSucceeded", l -> l.onSucceeded(name, attempts));
    }
  }

  // Every event goes through Listeners.notify, so a listener that throws changes no call; the
  // no-op listener is skipped before any lambda is made.

  void notifyAttempt(int attempt) {
    if (listener != RetryListener.NONE) {
      Listeners.notify(listener, "onAttempt", l -> l.onAttempt(name, attempt));
    }
  }

  void notifyRetryScheduled(int nextAttempt, long delayNanos, @Nullable Throwable failure) {
    if (listener != RetryListener.NONE) {
      Listeners.notify(
          listener,
          "onRetryScheduled",
          l -> l.onRetryScheduled(name, nextAttempt, delayNanos, failure));
    }
  }

  void notifyStopped(StopReason reason, int attempts, @Nullable Throwable failure) {
    if (listener == RetryListener.NONE) {
      return;
    }
    switch (reason) {
      case BUDGET_EXHAUSTED:
        Listeners.notify(
            listener, "onBudgetRefused", l -> l.onBudgetRefused(name, attempts, failure));
        break;
      case DEADLINE:
        Listeners.notify(
            listener, "onDeadlineReached", l -> l.onDeadlineReached(name, attempts, failure));
        break;
      default:
        Listeners.notify(listener, "onGaveUp", l -> l.onGaveUp(name, reason, attempts, failure));
    }
  }

  /**
   * The policy threw with no task failure to carry its exception: it is logged, at WARN the first
   * time for this policy and at DEBUG after, so a broken policy on a busy path cannot flood the
   * log.
   */
  void policyFailedOutsideAFailure(String where, Throwable e) {
    passVirtualMachineErrors(e);
    if (policyFailureLogged.compareAndSet(false, true)) {
      log.warn("{} threw in {}; ignored, and logged only once at WARN: {}", where, this, e, e);
    } else {
      log.debug("{} threw in {} again; ignored", where, this, e);
    }
  }

  /** Errors of the virtual machine are not the policy's bugs: they end the call as they are. */
  static void passVirtualMachineErrors(Throwable e) {
    if (e instanceof VirtualMachineError) {
      throw (VirtualMachineError) e;
    }
  }

  @Override
  public String toString() {
    return "Retry[name="
        + name
        + ", maxAttempts="
        + maxAttempts
        + ", backoff="
        + backoff
        + (hasDeadline ? ", deadline=" + Duration.ofNanos(deadlineNanos) : "")
        + ", budget="
        + budget
        + "]";
  }
}
