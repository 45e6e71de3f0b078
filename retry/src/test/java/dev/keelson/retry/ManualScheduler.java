package dev.keelson.retry;

import dev.keelson.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler whose timers fire only when the test says, moving a manual clock by their delay.
 * Nothing runs on its thread: the test thread runs every task, so a test can see that a call
 * waiting for a retry holds no thread.
 */
final class ManualScheduler extends ScheduledThreadPoolExecutor {

  private final ManualClock clock;
  private final Deque<Timer> timers = new ArrayDeque<>();

  ManualScheduler(ManualClock clock) {
    super(1);
    this.clock = clock;
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    Timer timer = new Timer(task, unit.toNanos(delay));
    timers.add(timer);
    return timer;
  }

  int pending() {
    return (int) timers.stream().filter(t -> !t.isCancelled()).count();
  }

  long nextDelayNanos() {
    return timers.getFirst().delayNanos;
  }

  /** Moves the clock by the next timer's delay and runs it on the calling thread. */
  void fireNext() {
    Timer timer = timers.removeFirst();
    clock.advance(Duration.ofNanos(timer.delayNanos));
    if (!timer.isCancelled()) {
      timer.task.run();
    }
  }

  static final class Timer implements ScheduledFuture<Object> {
    final Runnable task;
    final long delayNanos;
    private volatile boolean cancelled;

    Timer(Runnable task, long delayNanos) {
      this.task = task;
      this.delayNanos = delayNanos;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(delayNanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(delayNanos, other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      cancelled = true;
      return true;
    }

    @Override
    public boolean isCancelled() {
      return cancelled;
    }

    @Override
    public boolean isDone() {
      return cancelled;
    }

    @Override
    public Object get() {
      throw new UnsupportedOperationException("manual timers have no result");
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      throw new UnsupportedOperationException("manual timers have no result");
    }
  }
}
