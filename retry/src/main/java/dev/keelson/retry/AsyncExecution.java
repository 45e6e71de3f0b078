package dev.keelson.retry;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One asynchronous call under a {@link Retry}: it is the future the caller holds. Attempts run on
 * whatever thread completes the previous one; waits are timers on the caller's scheduler, so no
 * thread is held while waiting. What follows each attempt is its {@link Execution}'s decision.
 */
final class AsyncExecution<T> extends CompletableFuture<T> {

  private final Execution execution;
  private final RetryPolicy policy;
  private final Function<Attempt, ? extends CompletionStage<T>> task;
  private final ScheduledExecutorService scheduler;
  private volatile @Nullable Future<?> timer;
  private volatile @Nullable Future<?> inFlight;

  /** Parties yet to pass before the next attempt: its timer and the announcement of the retry. */
  private volatile int gate;

  // A field updater, not an AtomicInteger: an asynchronous call allocates nothing more for it.
  @SuppressWarnings("rawtypes")
  private static final AtomicIntegerFieldUpdater<AsyncExecution> GATE =
      AtomicIntegerFieldUpdater.newUpdater(AsyncExecution.class, "gate");

  AsyncExecution(
      Execution execution,
      Function<Attempt, ? extends CompletionStage<T>> task,
      ScheduledExecutorService scheduler) {
    this.execution = execution;
    this.policy = execution.policy();
    this.task = task;
    this.scheduler = scheduler;
  }

  void start() {
    attempt();
  }

  private void attempt() {
    if (isDone()) {
      return;
    }
    policy.notifyAttempt(execution.nextAttempt());
    try {
      CompletionStage<T> stage = task.apply(execution);
      if (stage == null) {
        onOutcome(null, new NullPointerException("the task returned no CompletionStage"));
        return;
      }
      if (stage instanceof Future) {
        inFlight = (Future<?>) stage;
        if (isCancelled()) {
          ((Future<?>) stage).cancel(true);
        }
      }
      stage.whenComplete(this::onOutcome);
    } catch (Throwable t) { // the task threw instead of failing its stage
      onOutcome(null, t);
    }
  }

  /** Never throws: it runs inside the attempt's stage, where a throw would be lost. */
  private void onOutcome(@Nullable T result, @Nullable Throwable error) {
    if (isDone()) {
      return;
    }
    try {
      decide(result, unwrap(error));
    } catch (Throwable e) { // only what the policy lets through (VirtualMachineError)
      completeExceptionally(e);
    }
  }

  private void decide(@Nullable T result, @Nullable Throwable failure) {
    Next next = execution.next(result, failure);
    if (next == Next.SUCCEEDED) {
      execution.succeeded();
      complete(result);
      return;
    }
    if (next.stop == null) {
      int number = execution.number();
      next = schedule(next);
      if (next.stop == null && !isCancelled()) {
        // Told once the timer is set, so that no retry is told that will not be made; and
        // before the next attempt, which waits for it (the gate). Past the gate, this thread
        // leaves the execution to the next attempt.
        policy.notifyRetryScheduled(number + 1, next.delayNanos, failure);
        passGate();
      }
    }
    if (next.stop != null) {
      Throwable thrown = execution.stop(next);
      if (thrown == null) {
        complete(result);
      } else {
        completeExceptionally(thrown);
      }
    }
  }

  /**
   * Starts the wait; a scheduler that rejects it (shut down, say) stops the call, and the retry is
   * given back to the budget. The next attempt runs once both the timer and the announcement of the
   * retry have passed the gate.
   */
  private Next schedule(Next next) {
    gate = 2;
    try {
      timer = scheduler.schedule(this::passGate, next.delayNanos, TimeUnit.NANOSECONDS);
    } catch (Throwable e) {
      policy.retryNotMade();
      return Next.policyFailed(e);
    }
    if (isCancelled()) {
      cancelPending();
    }
    return next;
  }

  private void passGate() {
    if (GATE.decrementAndGet(this) == 0) {
      attempt();
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      cancelPending();
      policy.notifyStopped(StopReason.CANCELLED, execution.number(), null);
    }
    return cancelled;
  }

  private void cancelPending() {
    Future<?> waiting = timer;
    if (waiting != null && waiting.cancel(false)) {
      policy.retryNotMade(); // it never ran: the retry is not made
    }
    Future<?> running = inFlight;
    if (running != null) {
      running.cancel(true);
    }
  }

  private static @Nullable Throwable unwrap(@Nullable Throwable error) {
    Throwable current = error;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }
}
