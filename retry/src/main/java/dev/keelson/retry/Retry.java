package dev.keelson.retry;

import dev.keelson.core.Ticker;
import dev.keelson.core.internal.Checks;
import dev.keelson.retry.internal.Backoffs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A retry policy and the means to run calls under it. Build one per dependency and share it: its
 * {@link RetryBudget} must see every call to that dependency to do its job.
 *
 * <pre>{@code
 * Retry payments = Retry.builder()
 *     .maxAttempts(3)
 *     .deadline(Duration.ofSeconds(2))
 *     .retryOn(IOException.class)
 *     .retryIfResult(HttpResponse.class, r -> r.statusCode() == 503 || r.statusCode() == 429)
 *     .retryAfter(HttpResponse.class, r -> RetryAfter.parse(r.headers()))
 *     .build();
 *
 * HttpResponse<String> response = payments.call(attempt -> http.send(request(attempt)));
 * }</pre>
 *
 * <p>Defaults: 3 attempts (the SRE book's per-request limit), full-jitter backoff from 100 ms
 * capped at 20 s (the AWS SDKs' standard mode), a {@link RatioRetryBudget} of 10% of requests plus
 * 1 retry per second, every exception retried except {@link Error}s and interruptions, no deadline,
 * server hints honoured up to 60 s.
 *
 * <p>A failed call throws the last failure itself, never a wrapper, with the earlier failures
 * attached as suppressed exceptions and, when retries stopped for a reason of their own (budget,
 * deadline, attempts), a {@link RetryStoppedException} marker. A call whose last outcome was a
 * retryable result returns that result.
 *
 * <p>What the policy itself throws (a predicate, a hint, the backoff, the budget, the sleeper, the
 * scheduler) never replaces the task's outcome: the call stops ({@link StopReason#POLICY_FAILED})
 * with the task's last failure, the policy's exception suppressed on it, or returns the task's last
 * result (the policy's exception logged) when the task returned one. A listener that throws is
 * logged and ignored. An asynchronous call completes in every case.
 */
public final class Retry {

  private static final Logger log = LoggerFactory.getLogger(Retry.class);

  private static final int CALLABLE = 0;
  private static final int ATTEMPT_AWARE = 1;
  private static final int RUNNABLE = 2;

  private final int maxAttempts;
  private final Backoff backoff;
  private final boolean hasDeadline;
  private final long deadlineNanos;
  private final long minimumAttemptNanos;
  private final long maxRetryAfterNanos;
  private final Outcomes outcomes;
  private final @Nullable RetryBudget budget;
  private final RetryListener listener;
  private final Ticker ticker;
  private final Sleeper sleeper;
  private final @Nullable RandomGenerator random;
  private final AtomicBoolean policyFailureLogged = new AtomicBoolean();

  private Retry(Builder builder) {
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
    this.listener = GuardedListener.of(builder.listener);
    this.ticker = builder.ticker;
    this.sleeper = builder.sleeper;
    this.random = builder.random;
  }

  /**
   * A policy with every default.
   *
   * @return the policy
   */
  public static Retry withDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs work until it succeeds or the policy stops it, sleeping between attempts on the calling
   * thread.
   *
   * @param task the work
   * @param <T> its result
   * @return the first successful result, or the last result if that was retryable
   * @throws Exception the last failure, as thrown by the work; {@link InterruptedException} if the
   *     thread was interrupted (the interrupt flag stays set)
   */
  public <T> T call(Callable<T> task) throws Exception {
    return execute(Objects.requireNonNull(task, "task"), CALLABLE);
  }

  /**
   * Runs work that wants to know its attempt and the time left before the deadline.
   *
   * @param task the work
   * @param <T> its result
   * @return the first successful result, or the last result if that was retryable
   * @throws Exception as {@link #call(Callable)}
   */
  public <T> T call(RetryableCall<T> task) throws Exception {
    return execute(Objects.requireNonNull(task, "task"), ATTEMPT_AWARE);
  }

  /**
   * Runs work with no result.
   *
   * @param task the work
   * @throws Exception as {@link #call(Callable)}
   */
  public void run(CheckedRunnable task) throws Exception {
    execute(Objects.requireNonNull(task, "task"), RUNNABLE);
  }

  /**
   * Runs asynchronous work, waiting between attempts on the given scheduler without holding any
   * thread. Cancelling the returned future stops further attempts and cancels the one in flight.
   *
   * @param task starts one attempt
   * @param scheduler where retries are scheduled; the caller owns it
   * @param <T> the result
   * @return the first successful result, or the last failure; it completes whatever the task, the
   *     listener or the policy's parts throw
   */
  public <T> CompletableFuture<T> callAsync(
      Supplier<? extends CompletionStage<T>> task, ScheduledExecutorService scheduler) {
    Objects.requireNonNull(task, "task");
    return startAsync(attempt -> task.get(), scheduler);
  }

  /**
   * Runs asynchronous work that wants to know its attempt and the time left.
   *
   * @param task starts one attempt
   * @param scheduler where retries are scheduled; the caller owns it
   * @param <T> the result
   * @return the first successful result, or the last failure
   */
  public <T> CompletableFuture<T> callAsync(
      Function<Attempt, ? extends CompletionStage<T>> task, ScheduledExecutorService scheduler) {
    return startAsync(Objects.requireNonNull(task, "task"), scheduler);
  }

  private <T> CompletableFuture<T> startAsync(
      Function<Attempt, ? extends CompletionStage<T>> task, ScheduledExecutorService scheduler) {
    Objects.requireNonNull(scheduler, "scheduler");
    long start;
    try {
      start = begin();
    } catch (
        RuntimeException e) { // a ticker that cannot be read: the caller hears it in the future
      return CompletableFuture.failedFuture(e);
    }
    AsyncExecution<T> execution =
        new AsyncExecution<>(this, task, scheduler, attemptView(start), start);
    execution.start();
    return execution;
  }

  /**
   * @return the retry budget, empty when the policy has none
   */
  public java.util.Optional<RetryBudget> budget() {
    return java.util.Optional.ofNullable(budget);
  }

  // The task's type is fixed by the public method that passed it in; the result is the task's.
  // The success path allocates nothing: the attempt view exists only for a RetryableCall.
  // NullAway: the result is null only if the task returned null, or for run(), which drops it.
  @SuppressWarnings({"unchecked", "NullAway"})
  private <T> T execute(Object task, int kind) throws Exception {
    long start = begin();
    Attempt attempt = kind == ATTEMPT_AWARE ? attemptView(start) : null;
    List<Throwable> earlier = null;
    long previousDelay = 0;
    for (int number = 1; ; number++) {
      listener.onAttempt(number);
      Object result = null;
      Throwable failure = null;
      try {
        if (kind == CALLABLE) {
          result = ((Callable<?>) task).call();
        } else if (attempt != null) {
          attempt.next();
          result = ((RetryableCall<?>) task).call(attempt);
        } else {
          ((CheckedRunnable) task).run();
        }
      } catch (InterruptedException e) {
        throw interrupted(e, null, earlier, number);
      } catch (Throwable e) { // an Error too, so that it ends the call as it does asynchronously
        failure = e;
      }
      Next next = next(number, start, result, failure, previousDelay);
      if (next == Next.SUCCEEDED) {
        succeeded(number);
        return (T) result;
      }
      if (next.stop == null) {
        listener.onRetryScheduled(number + 1, next.delayNanos, failure);
        next = sleep(next, number, failure, earlier);
      }
      if (next.stop != null) {
        Throwable thrown = stop(next, number, failure, earlier);
        if (thrown == null) {
          return (T) result;
        }
        if (thrown instanceof Error) {
          throw (Error) thrown;
        }
        throw (Exception) thrown;
      }
      if (failure != null) {
        earlier = remember(earlier, failure);
      }
      previousDelay = next.delayNanos;
    }
  }

  /**
   * Waits before the next attempt; a sleeper that throws stops the call. A wait that does not end
   * (interrupted, or the sleeper threw) gives its retry back to the budget.
   */
  private Next sleep(
      Next next, int number, @Nullable Throwable failure, @Nullable List<Throwable> earlier)
      throws InterruptedException {
    try {
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException("interrupted before attempt " + (number + 1));
      }
      sleeper.sleep(next.delayNanos);
      return next;
    } catch (InterruptedException e) {
      retryNotMade();
      throw interrupted(e, failure, earlier, number);
    } catch (Throwable e) {
      retryNotMade();
      return Next.policyFailed(e);
    }
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

  Attempt attemptView(long start) {
    return new Attempt(ticker, start, deadlineNanos, hasDeadline);
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
    listener.onSucceeded(attempts);
  }

  /** What happens after an attempt: success, a retry after a delay, or a stop. */
  static final class Next {
    /** The attempt succeeded; its result is the call's. */
    static final Next SUCCEEDED = new Next(null, 0, null);

    final @Nullable StopReason stop;
    final long delayNanos;

    /** What the policy threw instead of deciding, when it stopped with POLICY_FAILED. */
    final @Nullable Throwable policyFailure;

    private Next(@Nullable StopReason stop, long delayNanos, @Nullable Throwable policyFailure) {
      this.stop = stop;
      this.delayNanos = delayNanos;
      this.policyFailure = policyFailure;
    }

    static Next retryAfter(long delayNanos) {
      return new Next(null, delayNanos, null);
    }

    static Next stop(StopReason reason) {
      return new Next(reason, 0, null);
    }

    /**
     * A part of the policy threw. Errors of the virtual machine (out of memory, stack overflow)
     * pass through, as {@code Listeners} lets them.
     */
    static Next policyFailed(Throwable e) {
      passVirtualMachineErrors(e);
      return new Next(StopReason.POLICY_FAILED, 0, e);
    }
  }

  /**
   * What the policy makes of an attempt's outcome. The one decision both the synchronous loop and
   * {@link AsyncExecution} take; it never throws: a predicate, hint, backoff, budget or ticker that
   * throws stops the call with {@link StopReason#POLICY_FAILED}.
   */
  Next next(
      int attempt,
      long start,
      @Nullable Object result,
      @Nullable Throwable failure,
      long previousDelay) {
    try {
      if (failure == null && !outcomes.retriesResult(result)) {
        return Next.SUCCEEDED;
      }
      return decide(attempt, start, result, failure, previousDelay);
    } catch (Throwable e) {
      return Next.policyFailed(e);
    }
  }

  /**
   * Decides whether to retry and after how long. The budget is asked last, so a retry that the
   * deadline forbids spends nothing.
   */
  private Next decide(
      int attempt,
      long start,
      @Nullable Object result,
      @Nullable Throwable failure,
      long previousDelay) {
    if (failure != null && !outcomes.retries(failure)) {
      return Next.stop(StopReason.NOT_RETRYABLE);
    }
    if (attempt >= maxAttempts) {
      return Next.stop(StopReason.ATTEMPTS_EXHAUSTED);
    }
    long delay = outcomes.retryAfterNanos(failure != null ? failure : result);
    if (delay > maxRetryAfterNanos) {
      return Next.stop(StopReason.RETRY_AFTER_TOO_LONG);
    }
    if (delay < 0) {
      RandomGenerator jitter = random != null ? random : ThreadLocalRandom.current();
      delay = Math.max(0, backoff.delayNanos(attempt, previousDelay, jitter));
    }
    if (hasDeadline) {
      long remaining = Attempt.remainingNanos(ticker, start, deadlineNanos);
      if (remaining <= minimumAttemptNanos || delay >= remaining - minimumAttemptNanos) {
        return Next.stop(StopReason.DEADLINE);
      }
    }
    if (budget != null && !budget.tryAcquireRetry()) {
      return Next.stop(StopReason.BUDGET_EXHAUSTED);
    }
    return Next.retryAfter(delay);
  }

  /**
   * Ends a call that will not retry: tells the listener, and returns what the caller gets: the last
   * failure to throw, with the earlier failures, the policy's own failure and the stop marker
   * suppressed on it; or null to return the last result (the policy's failure, if any, logged).
   */
  @Nullable Throwable stop(
      Next next, int attempts, @Nullable Throwable failure, @Nullable List<Throwable> earlier) {
    StopReason reason = Objects.requireNonNull(next.stop, "stop");
    notifyStopped(reason, attempts, failure);
    Throwable policyFailure = next.policyFailure;
    if (failure == null) {
      if (policyFailure != null) {
        policyFailedOutsideAFailure("deciding on a result", policyFailure);
      }
      return null;
    }
    suppressEarlier(failure, earlier);
    if (policyFailure != null && policyFailure != failure) {
      failure.addSuppressed(policyFailure);
    }
    if (reason != StopReason.NOT_RETRYABLE) {
      failure.addSuppressed(new RetryStoppedException(reason, attempts));
    }
    return failure;
  }

  /**
   * The policy threw with no task failure to carry its exception: it is logged, at WARN the first
   * time for this policy and at DEBUG after, so a broken policy on a busy path cannot flood the
   * log.
   */
  private void policyFailedOutsideAFailure(String where, Throwable e) {
    passVirtualMachineErrors(e);
    if (policyFailureLogged.compareAndSet(false, true)) {
      log.warn("{} threw in {}; ignored, and logged only once at WARN: {}", where, this, e, e);
    } else {
      log.debug("{} threw in {} again; ignored", where, this, e);
    }
  }

  /** Errors of the virtual machine are not the policy's bugs: they end the call as they are. */
  private static void passVirtualMachineErrors(Throwable e) {
    if (e instanceof VirtualMachineError) {
      throw (VirtualMachineError) e;
    }
  }

  void notifyStopped(StopReason reason, int attempts, @Nullable Throwable failure) {
    switch (reason) {
      case BUDGET_EXHAUSTED:
        listener.onBudgetRefused(attempts, failure);
        break;
      case DEADLINE:
        listener.onDeadlineReached(attempts, failure);
        break;
      default:
        listener.onGaveUp(reason, attempts, failure);
    }
  }

  void notifyAttempt(int attempt) {
    listener.onAttempt(attempt);
  }

  void notifyRetryScheduled(int nextAttempt, long delayNanos, @Nullable Throwable failure) {
    listener.onRetryScheduled(nextAttempt, delayNanos, failure);
  }

  private InterruptedException interrupted(
      InterruptedException interruption,
      @Nullable Throwable last,
      @Nullable List<Throwable> earlier,
      int attempts) {
    Thread.currentThread().interrupt();
    listener.onGaveUp(StopReason.INTERRUPTED, attempts, last);
    suppressEarlier(interruption, earlier);
    if (last != null && last != interruption) {
      interruption.addSuppressed(last);
    }
    return interruption;
  }

  static List<Throwable> remember(@Nullable List<Throwable> earlier, Throwable failure) {
    List<Throwable> list = earlier != null ? earlier : new ArrayList<>(2);
    list.add(failure);
    return list;
  }

  private static void suppressEarlier(Throwable failure, @Nullable List<Throwable> earlier) {
    if (earlier == null) {
      return;
    }
    for (Throwable previous : earlier) {
      if (previous != failure) {
        failure.addSuppressed(previous);
      }
    }
  }

  @Override
  public String toString() {
    return "Retry[maxAttempts="
        + maxAttempts
        + ", backoff="
        + backoff
        + (hasDeadline ? ", deadline=" + Duration.ofNanos(deadlineNanos) : "")
        + ", budget="
        + budget
        + "]";
  }

  /** Settings of a {@link Retry}; every one has a default, and each is checked when set. */
  public static final class Builder {
    private int maxAttempts = 3;
    private Backoff backoff = Backoffs.fullJitter(Duration.ofMillis(100), Duration.ofSeconds(20));
    private long deadlineNanos;
    private long minimumAttemptNanos;
    private long maxRetryAfterNanos = Duration.ofSeconds(60).toNanos();
    private final List<Outcomes.Rule<?>> retryFailures = new ArrayList<>();
    private final List<Outcomes.Rule<?>> abortFailures = new ArrayList<>();
    private final List<Outcomes.Rule<?>> retryResults = new ArrayList<>();
    private final List<Outcomes.Hint<?>> hints = new ArrayList<>();
    private @Nullable RetryBudget budget;
    private boolean withoutBudget;
    private RetryListener listener = RetryListener.NONE;
    private Ticker ticker = Ticker.system();
    private Sleeper sleeper = Sleeper.THREAD_SLEEP;
    private @Nullable RandomGenerator random;

    private Builder() {}

    /**
     * @param maxAttempts attempts in all, the first included; 1 to 100 (default 3)
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = Checks.between("maxAttempts", maxAttempts, 1, 100);
      return this;
    }

    /**
     * @param backoff the wait between attempts (default full jitter, 100 ms base, 20 s cap)
     * @return this builder
     */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /**
     * An overall time budget per call, measured from its start: no retry is scheduled whose wait
     * would not end, with {@link #minimumAttemptTime} to spare, before it.
     *
     * @param deadline more than zero (default none)
     * @return this builder
     */
    public Builder deadline(Duration deadline) {
      this.deadlineNanos = Checks.saturatedNanos(Checks.positive("deadline", deadline));
      return this;
    }

    /**
     * @param time the least time an attempt needs; a retry that would leave less before the
     *     deadline is not made (default zero)
     * @return this builder
     */
    public Builder minimumAttemptTime(Duration time) {
      this.minimumAttemptNanos =
          Checks.saturatedNanos(Checks.atLeast("minimumAttemptTime", time, Duration.ZERO));
      return this;
    }

    /**
     * Retries only failures of these types (and their subtypes), instead of every exception.
     *
     * @param types exception types
     * @return this builder
     */
    @SafeVarargs
    public final Builder retryOn(Class<? extends Throwable>... types) {
      retryFailures.addAll(Outcomes.typeRules("retryOn", types));
      return this;
    }

    /**
     * Retries only failures this predicate accepts (with any {@link #retryOn} types).
     *
     * @param test the predicate
     * @return this builder
     */
    public Builder retryIf(Predicate<? super Throwable> test) {
      retryFailures.add(
          new Outcomes.Rule<>(Throwable.class, Objects.requireNonNull(test, "retryIf")));
      return this;
    }

    /**
     * Never retries failures of these types, whatever else matches.
     *
     * @param types exception types
     * @return this builder
     */
    @SafeVarargs
    public final Builder abortOn(Class<? extends Throwable>... types) {
      abortFailures.addAll(Outcomes.typeRules("abortOn", types));
      return this;
    }

    /**
     * Never retries failures this predicate accepts.
     *
     * @param test the predicate
     * @return this builder
     */
    public Builder abortIf(Predicate<? super Throwable> test) {
      abortFailures.add(
          new Outcomes.Rule<>(Throwable.class, Objects.requireNonNull(test, "abortIf")));
      return this;
    }

    /**
     * Retries when the work returns a result of this type that the predicate accepts, such as an
     * HTTP 429 or 503 response.
     *
     * @param type the result type
     * @param test the predicate
     * @param <R> the result type
     * @return this builder
     */
    public <R> Builder retryIfResult(Class<R> type, Predicate<? super R> test) {
      retryResults.add(
          new Outcomes.Rule<>(
              Objects.requireNonNull(type, "retryIfResult type"),
              Objects.requireNonNull(test, "retryIfResult")));
      return this;
    }

    /**
     * Reads a server's hint ({@code Retry-After}) from results or failures of a type. A hint
     * replaces the backoff when it fits before the deadline; when it does not, or when it is longer
     * than {@link #maxRetryAfter}, the call ends.
     *
     * @param type the result or exception type carrying the hint
     * @param hint reads it; null for no hint
     * @param <X> the type
     * @return this builder
     */
    public <X> Builder retryAfter(Class<X> type, Function<? super X, @Nullable Duration> hint) {
      hints.add(
          new Outcomes.Hint<>(
              Objects.requireNonNull(type, "retryAfter type"),
              Objects.requireNonNull(hint, "retryAfter")));
      return this;
    }

    /**
     * @param longest the longest server hint to wait for; a longer one ends the call (default 60 s)
     * @return this builder
     */
    public Builder maxRetryAfter(Duration longest) {
      this.maxRetryAfterNanos =
          Checks.saturatedNanos(Checks.atLeast("maxRetryAfter", longest, Duration.ZERO));
      return this;
    }

    /**
     * @param budget the budget to share with other policies of the same dependency (default: a
     *     {@link RatioRetryBudget} of this policy's own)
     * @return this builder
     */
    public Builder budget(RetryBudget budget) {
      this.budget = Objects.requireNonNull(budget, "budget");
      this.withoutBudget = false;
      return this;
    }

    /**
     * Retries without a budget: every failed call may make all its attempts, even when the
     * dependency is down for everyone. Only for dependencies that cannot be overloaded.
     *
     * @return this builder
     */
    public Builder withoutBudget() {
      this.budget = null;
      this.withoutBudget = true;
      return this;
    }

    /**
     * @param listener hears attempts, retries and stops (default none); what it throws is logged
     *     and ignored, never the call's outcome
     * @return this builder
     */
    public Builder listener(RetryListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * @param ticker measures deadlines (default {@link Ticker#system()})
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * @param sleeper waits between synchronous attempts (default {@link Sleeper#THREAD_SLEEP})
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * @param random the jitter source, used by one thread at a time (default {@link
     *     ThreadLocalRandom}); tests pass a seeded one
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    public Retry build() {
      return new Retry(this);
    }
  }
}
