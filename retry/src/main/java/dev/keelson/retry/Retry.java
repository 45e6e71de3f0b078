package dev.keelson.retry;

import dev.keelson.core.Ticker;
import dev.keelson.core.internal.Checks;
import dev.keelson.core.internal.Names;
import dev.keelson.retry.internal.Backoffs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 * <p>The policy's settings are fixed when it is built; each call keeps its own count of attempts,
 * failures and time, so one {@code Retry} serves any number of threads. Its {@link #name()} is on
 * every event its {@link RetryListener} hears.
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

  private final RetryPolicy policy;

  private Retry(RetryPolicy policy) {
    this.policy = policy;
  }

  /**
   * A policy with every default.
   *
   * @return the policy
   */
  public static Retry withDefaults() {
    return builder().build();
  }

  /**
   * @return a builder with every default
   */
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
    return SyncLoop.call(policy, Objects.requireNonNull(task, "task"), Retry::callable, null);
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
    Objects.requireNonNull(task, "task");
    return SyncLoop.call(policy, task, Retry::retryable, Execution.start(policy));
  }

  /**
   * Runs work with no result.
   *
   * @param task the work
   * @throws Exception as {@link #call(Callable)}
   */
  public void run(CheckedRunnable task) throws Exception {
    Objects.requireNonNull(task, "task");
    SyncLoop.call(policy, task, Retry::runnable, null);
  }

  // The three task shapes, as SyncLoop runs them: static, so a call passes them without allocating.

  private static <T> T callable(Callable<T> task, @Nullable Execution execution) throws Exception {
    return task.call();
  }

  private static <T> T retryable(RetryableCall<T> task, @Nullable Execution execution)
      throws Exception {
    return task.call(
        Objects.requireNonNull(execution, "the execution a RetryableCall starts with"));
  }

  private static @Nullable Void runnable(CheckedRunnable task, @Nullable Execution execution)
      throws Exception {
    task.run();
    return null;
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
    Execution execution;
    try {
      execution = Execution.start(policy);
    } catch (
        RuntimeException e) { // a ticker that cannot be read: the caller hears it in the future
      return CompletableFuture.failedFuture(e);
    }
    AsyncExecution<T> call = new AsyncExecution<>(execution, task, scheduler);
    call.start();
    return call;
  }

  /**
   * @return the name its listener's events carry ({@code "default"} unless the builder set one)
   */
  public String name() {
    return policy.name();
  }

  /**
   * @return the retry budget, empty when the policy has none
   */
  public Optional<RetryBudget> budget() {
    return Optional.ofNullable(policy.budget());
  }

  @Override
  public String toString() {
    return policy.toString();
  }

  /** Settings of a {@link Retry}; every one has a default, and each is checked when set. */
  public static final class Builder {
    // Package-private: RetryPolicy is built from them.
    String name = Names.DEFAULT;
    int maxAttempts = 3;
    Backoff backoff = Backoffs.fullJitter(Duration.ofMillis(100), Duration.ofSeconds(20));
    long deadlineNanos;
    long minimumAttemptNanos;
    long maxRetryAfterNanos = Duration.ofSeconds(60).toNanos();
    final List<Outcomes.Rule<?>> retryFailures = new ArrayList<>();
    final List<Outcomes.Rule<?>> abortFailures = new ArrayList<>();
    final List<Outcomes.Rule<?>> retryResults = new ArrayList<>();
    final List<Outcomes.Hint<?>> hints = new ArrayList<>();
    @Nullable RetryBudget budget;
    boolean withoutBudget;
    RetryListener listener = RetryListener.NONE;
    Ticker ticker = Ticker.system();
    Sleeper sleeper = Sleeper.THREAD_SLEEP;
    @Nullable RandomGenerator random;

    private Builder() {}

    /**
     * @param name what the listener's events carry, so that one listener can tell policies apart (a
     *     metrics tag, say); 1 to 64 characters (default {@code "default"})
     * @return this builder
     */
    public Builder name(String name) {
      this.name = Names.check(name);
      return this;
    }

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
     * @param listener hears attempts, retries and stops, each event with this policy's {@link
     *     #name} (default none; several combine with {@link RetryListener#of}); what it throws is
     *     logged and ignored, never the call's outcome
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

    /**
     * @return the policy
     */
    public Retry build() {
      return new Retry(new RetryPolicy(this));
    }
  }
}
