package dev.keelson.retry;

import dev.keelson.core.Ticker;
import dev.keelson.retry.internal.Backoffs;
import dev.keelson.retry.internal.Checks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

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
 */
public final class Retry {

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
    this.listener = builder.listener;
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
   * @return the first successful result, or the last failure
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
    long deadline = begin();
    AsyncExecution<T> execution =
        new AsyncExecution<>(this, task, scheduler, attemptView(deadline), deadline);
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
  @SuppressWarnings("unchecked")
  private <T> T execute(Object task, int kind) throws Exception {
    long deadline = begin();
    Attempt attempt = kind == ATTEMPT_AWARE ? new Attempt(ticker, deadline, hasDeadline) : null;
    List<Throwable> earlier = null;
    long previousDelay = 0;
    for (int number = 1; ; number++) {
      listener.onAttempt(number);
      Object result = null;
      Exception failure = null;
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
      } catch (Exception e) {
        failure = e;
      }
      if (failure == null && !outcomes.retriesResult(result)) {
        succeeded(number);
        return (T) result;
      }
      Next next = decide(number, deadline, result, failure, previousDelay);
      if (next.stop != null) {
        notifyStopped(next.stop, number, failure);
        if (failure == null) {
          return (T) result;
        }
        throw (Exception) stopped(failure, earlier, next.stop, number);
      }
      listener.onRetryScheduled(number + 1, next.delayNanos, failure);
      try {
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedException("interrupted before attempt " + (number + 1));
        }
        sleeper.sleep(next.delayNanos);
      } catch (InterruptedException e) {
        throw interrupted(e, failure, earlier, number);
      }
      if (failure != null) {
        earlier = remember(earlier, failure);
      }
      previousDelay = next.delayNanos;
    }
  }

  /** Starts a call: tells the budget, and reads the clock only if there is a deadline. */
  long begin() {
    if (budget != null) {
      budget.onRequest();
    }
    return hasDeadline ? saturatedAdd(ticker.nanoTime(), deadlineNanos) : Long.MAX_VALUE;
  }

  Attempt attemptView(long deadline) {
    return new Attempt(ticker, deadline, hasDeadline);
  }

  boolean retriesResult(@Nullable Object result) {
    return outcomes.retriesResult(result);
  }

  void succeeded(int attempts) {
    if (budget != null) {
      budget.onSuccess(attempts > 1);
    }
    listener.onSucceeded(attempts);
  }

  /** What happens after an attempt that failed or returned a retryable result. */
  static final class Next {
    final @Nullable StopReason stop;
    final long delayNanos;

    private Next(@Nullable StopReason stop, long delayNanos) {
      this.stop = stop;
      this.delayNanos = delayNanos;
    }
  }

  /**
   * Decides whether to retry and after how long. The budget is asked last, so a retry that the
   * deadline forbids spends nothing.
   */
  Next decide(
      int attempt,
      long deadline,
      @Nullable Object result,
      @Nullable Throwable failure,
      long previousDelay) {
    if (failure != null && !outcomes.retries(failure)) {
      return new Next(StopReason.NOT_RETRYABLE, 0);
    }
    if (attempt >= maxAttempts) {
      return new Next(StopReason.ATTEMPTS_EXHAUSTED, 0);
    }
    long delay = outcomes.retryAfterNanos(failure != null ? failure : result);
    if (delay > maxRetryAfterNanos) {
      return new Next(StopReason.RETRY_AFTER_TOO_LONG, 0);
    }
    if (delay < 0) {
      RandomGenerator jitter = random != null ? random : ThreadLocalRandom.current();
      delay = Math.max(0, backoff.delayNanos(attempt, previousDelay, jitter));
    }
    if (hasDeadline) {
      long remaining = deadline - ticker.nanoTime();
      if (remaining <= minimumAttemptNanos || delay >= remaining - minimumAttemptNanos) {
        return new Next(StopReason.DEADLINE, 0);
      }
    }
    if (budget != null && !budget.tryAcquireRetry()) {
      return new Next(StopReason.BUDGET_EXHAUSTED, 0);
    }
    return new Next(null, delay);
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

  /** The failure to throw: earlier failures suppressed, and the stop marker when it applies. */
  static Throwable stopped(
      Throwable failure, @Nullable List<Throwable> earlier, StopReason reason, int attempts) {
    suppressEarlier(failure, earlier);
    if (reason != StopReason.NOT_RETRYABLE) {
      failure.addSuppressed(new RetryStoppedException(reason, attempts));
    }
    return failure;
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

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
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
      if (maxAttempts < 1 || maxAttempts > 100) {
        throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " is not in 1..100");
      }
      this.maxAttempts = maxAttempts;
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
      this.deadlineNanos = Checks.nanos("deadline", deadline, 1);
      return this;
    }

    /**
     * @param time the least time an attempt needs; a retry that would leave less before the
     *     deadline is not made (default zero)
     * @return this builder
     */
    public Builder minimumAttemptTime(Duration time) {
      this.minimumAttemptNanos = Checks.nanos("minimumAttemptTime", time, 0);
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
      this.maxRetryAfterNanos = Checks.nanos("maxRetryAfter", longest, 0);
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
     * @param listener hears attempts, retries and stops (default none)
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
