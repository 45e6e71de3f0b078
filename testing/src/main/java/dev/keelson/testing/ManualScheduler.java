package dev.keelson.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A {@link java.util.concurrent.ScheduledExecutorService} on a {@link ManualClock}: tasks run only
 * when the test asks, on the test's thread, in order of due time, and running one moves the clock
 * to its due time. It starts no thread, so a test can also see that work waiting on it holds none.
 * Periodic scheduling is not supported.
 */
public final class ManualScheduler extends ScheduledThreadPoolExecutor {

  private final ManualClock clock;
  private final PriorityQueue<Timer<?>> timers = new PriorityQueue<>();
  private long sequence;

  public ManualScheduler(ManualClock clock) {
    super(0);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    return add(new FutureTask<>(task, null), delay, unit);
  }

  @Override
  public <V> ScheduledFuture<V> schedule(Callable<V> task, long delay, TimeUnit unit) {
    return add(new FutureTask<>(task), delay, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(
      Runnable task, long initialDelay, long period, TimeUnit unit) {
    throw new UnsupportedOperationException("ManualScheduler runs one-shot tasks only");
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(
      Runnable task, long initialDelay, long delay, TimeUnit unit) {
    throw new UnsupportedOperationException("ManualScheduler runs one-shot tasks only");
  }

  /**
   * @return tasks waiting to run, cancelled ones excluded
   */
  public synchronized int pending() {
    return (int) timers.stream().filter(t -> !t.isCancelled()).count();
  }

  /**
   * @return how long after now the next task is due, or empty when none waits
   */
  public synchronized java.util.Optional<Duration> nextDelay() {
    dropCancelled();
    Timer<?> next = timers.peek();
    return next == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(Duration.ofNanos(Math.max(0, next.dueNanos - clock.nanoTime())));
  }

  /**
   * Moves the clock to the next task's due time (never back) and runs it.
   *
   * @return false when no task waits
   */
  public boolean runNext() {
    Timer<?> next;
    synchronized (this) {
      dropCancelled();
      next = timers.poll();
      if (next == null) {
        return false;
      }
      long wait = next.dueNanos - clock.nanoTime();
      if (wait > 0) {
        clock.advance(Duration.ofNanos(wait));
      }
    }
    next.task.run();
    return true;
  }

  /**
   * Runs every task due within {@code duration} from now, in order, then leaves the clock at the
   * end of it.
   *
   * @param duration how far to move the clock
   */
  public void advance(Duration duration) {
    long end = clock.nanoTime() + duration.toNanos();
    while (true) {
      synchronized (this) {
        dropCancelled();
        Timer<?> next = timers.peek();
        if (next == null || next.dueNanos > end) {
          break;
        }
      }
      runNext();
    }
    long rest = end - clock.nanoTime();
    if (rest > 0) {
      clock.advance(Duration.ofNanos(rest));
    }
  }

  private synchronized <V> ScheduledFuture<V> add(FutureTask<V> task, long delay, TimeUnit unit) {
    if (isShutdown()) {
      throw new java.util.concurrent.RejectedExecutionException("the scheduler is shut down");
    }
    Timer<V> timer =
        new Timer<>(task, clock.nanoTime() + Math.max(0, unit.toNanos(delay)), sequence++, clock);
    timers.add(timer);
    return timer;
  }

  private void dropCancelled() {
    while (!timers.isEmpty() && timers.peek().isCancelled()) {
      timers.poll();
    }
  }

  private static final class Timer<V> implements ScheduledFuture<V> {
    final FutureTask<V> task;
    final long dueNanos;
    private final long sequence;
    private final ManualClock clock;

    Timer(FutureTask<V> task, long dueNanos, long sequence, ManualClock clock) {
      this.task = task;
      this.dueNanos = dueNanos;
      this.sequence = sequence;
      this.clock = clock;
    }

    @Override
    public long getDelay(TimeUnit unit) {
      return unit.convert(dueNanos - clock.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public int compareTo(Delayed other) {
      if (other instanceof Timer) {
        Timer<?> timer = (Timer<?>) other;
        int byDue = Long.compare(dueNanos, timer.dueNanos);
        return byDue != 0 ? byDue : Long.compare(sequence, timer.sequence);
      }
      return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return task.cancel(mayInterruptIfRunning);
    }

    @Override
    public boolean isCancelled() {
      return task.isCancelled();
    }

    @Override
    public boolean isDone() {
      return task.isDone();
    }

    @Override
    public V get() throws InterruptedException, java.util.concurrent.ExecutionException {
      return task.get();
    }

    @Override
    public V get(long timeout, TimeUnit unit)
        throws InterruptedException,
            java.util.concurrent.ExecutionException,
            java.util.concurrent.TimeoutException {
      return task.get(timeout, unit);
    }
  }
}
