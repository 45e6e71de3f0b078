package dev.keelson.retry;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One asynchronous call under a {@link Retry}: it is the future the caller holds. Attempts run on
 * whatever thread completes the previous one; waits are timers on the caller's scheduler, so no
 * thread is held while waiting.
 */
final class AsyncExecution<T> extends CompletableFuture<T> {

  private final Retry retry;
  private final Function<Attempt, ? extends CompletionStage<T>> task;
  private final ScheduledExecutorService scheduler;
  private final Attempt attempt;
  private final long deadline;
  private @Nullable List<Throwable> earlier;
  private long previousDelay;
  private volatile @Nullable Future<?> timer;
  private volatile @Nullable Future<?> inFlight;

  AsyncExecution(
      Retry retry,
      Function<Attempt, ? extends CompletionStage<T>> task,
      ScheduledExecutorService scheduler,
      Attempt attempt,
      long deadline) {
    this.retry = retry;
    this.task = task;
    this.scheduler = scheduler;
    this.attempt = attempt;
    this.deadline = deadline;
  }

  void start() {
    attempt();
  }

  private void attempt() {
    if (isDone()) {
      return;
    }
    attempt.next();
    retry.notifyAttempt(attempt.number());
    CompletionStage<T> stage;
    try {
      stage = task.apply(attempt);
    } catch (Throwable t) {
      onOutcome(null, t);
      return;
    }
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
  }

  private void onOutcome(@Nullable T result, @Nullable Throwable error) {
    if (isDone()) {
      return;
    }
    Throwable failure = unwrap(error);
    int number = attempt.number();
    if (failure == null && !retry.retriesResult(result)) {
      retry.succeeded(number);
      complete(result);
      return;
    }
    Retry.Next next = retry.decide(number, deadline, result, failure, previousDelay);
    if (next.stop != null) {
      retry.notifyStopped(next.stop, number, failure);
      if (failure == null) {
        complete(result);
      } else {
        completeExceptionally(Retry.stopped(failure, earlier, next.stop, number));
      }
      return;
    }
    retry.notifyRetryScheduled(number + 1, next.delayNanos, failure);
    if (failure != null) {
      earlier = Retry.remember(earlier, failure);
    }
    previousDelay = next.delayNanos;
    try {
      timer = scheduler.schedule(this::attempt, next.delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException rejected) {
      Throwable last = failure != null ? failure : rejected;
      if (last != rejected) {
        last.addSuppressed(rejected);
      }
      completeExceptionally(last);
    }
    if (isCancelled()) {
      cancelPending();
    }
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      cancelPending();
      retry.notifyStopped(StopReason.CANCELLED, attempt.number(), null);
    }
    return cancelled;
  }

  private void cancelPending() {
    Future<?> waiting = timer;
    if (waiting != null) {
      waiting.cancel(false);
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
