package dev.keelson.core.internal;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * Fails futures that outlast a timeout, for the price of one queue insertion per future. {@link
 * CompletableFuture#orTimeout} schedules a task on a shared scheduler and cancels it for every
 * call; on the pipelined Redis path that cost a fifth of the throughput. Here the futures with the
 * same timeout share a first-in-first-out lane, so the oldest is always at the lane's head, and one
 * daemon thread for the whole JVM sleeps until the earliest head is due, dropping the futures that
 * completed meanwhile.
 *
 * <pre>{@code
 * FutureTimeouts timeouts = FutureTimeouts.of(Duration.ofMillis(100)); // once, at build time
 * timeouts.watch(reply).handle(...);                                 // per call
 * }</pre>
 */
public final class FutureTimeouts {

  private static final ConcurrentMap<Long, FutureTimeouts> LANES = new ConcurrentHashMap<>();
  private static final long SCANNING = Long.MIN_VALUE;
  private static final long NEVER = Long.MAX_VALUE;

  /** When the sweeper's sleep ends: a deadline, {@link #NEVER}, or {@link #SCANNING} if awake. */
  private static volatile long sweeperWakesAt = SCANNING;

  private static final Thread SWEEPER = sweeper();

  private final long timeoutNanos;
  private final Queue<Watched> watched = new ConcurrentLinkedQueue<>();

  private FutureTimeouts(long timeoutNanos) {
    this.timeoutNanos = timeoutNanos;
  }

  /**
   * @param timeout how long a watched future may stay incomplete, more than zero
   * @return the lane for that timeout (one per distinct timeout in the JVM)
   */
  public static FutureTimeouts of(Duration timeout) {
    Checks.positive("timeout", timeout);
    return LANES.computeIfAbsent(timeout.toNanos(), FutureTimeouts::new);
  }

  /**
   * Fails {@code future} with a {@link TimeoutException} if it is still incomplete after the
   * timeout.
   *
   * @param future the future to watch
   * @param <T> its value's type
   * @return the same future
   */
  public <T> CompletableFuture<T> watch(CompletableFuture<T> future) {
    long deadline = System.nanoTime() + timeoutNanos;
    watched.add(new Watched(deadline, future));
    long wakesAt = sweeperWakesAt;
    // Wake the sweeper if it sleeps past this deadline, or is scanning and may have missed it (an
    // unpark before its next park makes that park return at once).
    if (wakesAt == SCANNING || wakesAt == NEVER || deadline - wakesAt < 0) {
      LockSupport.unpark(SWEEPER);
    }
    return future;
  }

  /**
   * Fails the due futures at the head of this lane and drops the completed ones.
   *
   * @return the deadline of the first one left, or {@link Long#MAX_VALUE} if none is
   */
  private long expire(long now) {
    for (Watched head = watched.peek(); head != null; head = watched.peek()) {
      if (!head.future.isDone()) {
        if (head.deadline - now > 0) {
          return head.deadline;
        }
        head.future.completeExceptionally(
            new TimeoutException("no reply within " + Duration.ofNanos(timeoutNanos)));
      }
      watched.poll();
    }
    return Long.MAX_VALUE;
  }

  private static Thread sweeper() {
    Thread thread =
        new Thread(
            () -> {
              while (true) {
                sweeperWakesAt = SCANNING;
                long now = System.nanoTime();
                long next = Long.MAX_VALUE;
                for (FutureTimeouts lane : LANES.values()) {
                  long deadline = lane.expire(now);
                  if (deadline != Long.MAX_VALUE
                      && (next == Long.MAX_VALUE || deadline - next < 0)) {
                    next = deadline;
                  }
                }
                sweeperWakesAt = next == Long.MAX_VALUE ? NEVER : next;
                if (next == Long.MAX_VALUE) {
                  LockSupport.park();
                } else {
                  LockSupport.parkNanos(next - now);
                }
              }
            },
            "keelson-future-timeouts");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  private static final class Watched {
    final long deadline;
    final CompletableFuture<?> future;

    Watched(long deadline, CompletableFuture<?> future) {
      this.deadline = deadline;
      this.future = future;
    }
  }
}
