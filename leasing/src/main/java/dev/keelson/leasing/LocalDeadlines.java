package dev.keelson.leasing;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The timer that tells a lease's holder of its loss at the local deadline, whatever its own
 * scheduler is doing: a renewal that hangs (a partition, a pool waiting for a connection) may hold
 * the only thread of that scheduler, and etcd's rule holds here too: the holder learns of the loss
 * by its own deadline, not by the next call that returns.
 *
 * <p>Two daemon pools for the JVM, started with the first keep-alive: the timer's one thread only
 * compares deadlines; the losses it finds are told on threads of their own, so a listener that
 * takes its time (a graceful stop) never delays the news of another lease's loss.
 */
final class LocalDeadlines {

  private static final ScheduledThreadPoolExecutor TIMER = timer();
  private static final ExecutorService TELLERS = tellers();

  private LocalDeadlines() {}

  /** Runs the check after the delay, at least a millisecond from now. */
  static ScheduledFuture<?> at(long delayNanos, Runnable check) {
    return TIMER.schedule(check, Math.max(delayNanos, 1_000_000), TimeUnit.NANOSECONDS);
  }

  /** Tells of a loss the timer found, on a thread of its own. */
  static void tell(Runnable loss) {
    TELLERS.execute(loss);
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(1, daemon("keelson-lease-deadlines"));
    timer.setRemoveOnCancelPolicy(true); // a renewed lease's old check must not linger
    return timer;
  }

  /** As many threads as losses being told at once; idle ones end after a minute. */
  private static ExecutorService tellers() {
    return new ThreadPoolExecutor(
        0,
        Integer.MAX_VALUE,
        1,
        TimeUnit.MINUTES,
        new SynchronousQueue<>(),
        daemon("keelson-lease-lost"));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return task -> {
      Thread thread = new Thread(task, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
