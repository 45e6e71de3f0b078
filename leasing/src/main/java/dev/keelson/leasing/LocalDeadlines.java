package dev.keelson.leasing;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The timer that tells a lease's holder of its loss at the local deadline, whatever its own
 * scheduler is doing: a renewal that hangs (a partition, a pool waiting for a connection) may hold
 * the only thread of that scheduler, and etcd's rule holds here too: the holder learns of the loss
 * by its own deadline, not by the next call that returns. One daemon thread for the JVM, started
 * with the first keep-alive; the tasks it runs only compare a deadline and report a loss.
 */
final class LocalDeadlines {

  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private LocalDeadlines() {}

  /** Runs the check after the delay, at least a millisecond from now. */
  static ScheduledFuture<?> at(long delayNanos, Runnable check) {
    return TIMER.schedule(check, Math.max(delayNanos, 1_000_000), TimeUnit.NANOSECONDS);
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "keelson-lease-deadlines");
              thread.setDaemon(true);
              return thread;
            });
    timer.setRemoveOnCancelPolicy(true); // a renewed lease's old check must not linger
    return timer;
  }
}
