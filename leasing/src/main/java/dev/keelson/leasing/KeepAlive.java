package dev.keelson.leasing;

import dev.keelson.core.internal.Listeners;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews a lease about every third of its time to live, on the caller's scheduler, until it is
 * closed or the lease is lost. Lost means: the store refused a renewal (someone else holds the
 * resource), or the local deadline passed without a successful renewal (the store was too slow or
 * unreachable). Then {@code onLost} runs once and renewing stops. {@link #close()} stops and
 * releases the lease.
 *
 * <p>The loss is reported at the local deadline even if a renewal hangs: every renewal is bounded
 * by the time left before the deadline, and a timer of Keelson's own checks the deadline, so a
 * renewal stuck on the scheduler's only thread cannot delay the news. {@code onLost} then runs on a
 * thread of Keelson's own ({@code keelson-lease-lost}), otherwise on the scheduler. A failed
 * renewal is tried again before the deadline; a renewal that succeeds after the loss was reported
 * is released at once.
 */
public final class KeepAlive implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KeepAlive.class);

  private final Leaser leaser;
  private final ScheduledExecutorService scheduler;
  private final Consumer<Lease> onLost;
  private final long periodNanos;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private volatile Lease current;
  private volatile @Nullable ScheduledFuture<?> next;
  private volatile @Nullable ScheduledFuture<?> deadline;

  KeepAlive(
      Leaser leaser, Lease lease, ScheduledExecutorService scheduler, Consumer<Lease> onLost) {
    this.leaser = leaser;
    this.current = lease;
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.onLost = Objects.requireNonNull(onLost, "onLost");
    this.periodNanos = Math.max(1, lease.ttl().toNanos() / 3);
  }

  void start() {
    watchDeadline();
    schedule(periodNanos);
  }

  /**
   * @return the lease as last renewed; check {@link Lease#isHeld()} before acting on it
   */
  public Lease current() {
    return current;
  }

  /**
   * @return whether renewing goes on (not closed, not lost)
   */
  public boolean isActive() {
    return !stopped.get();
  }

  private void schedule(long delayNanos) {
    try {
      next = scheduler.schedule(this::renew, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      lost("the scheduler refused the next renewal");
    }
  }

  /** (Re)arms the deadline check for the current lease; the previous one is no longer needed. */
  private synchronized void watchDeadline() {
    ScheduledFuture<?> previous = deadline;
    if (previous != null) {
      previous.cancel(false);
    }
    if (stopped.get()) {
      return;
    }
    deadline = LocalDeadlines.at(current.remaining().toNanos(), this::checkDeadline);
  }

  private void checkDeadline() {
    if (stopped.get()) {
      return;
    }
    if (current.isHeld()) {
      watchDeadline(); // a renewal won the race, or the ticker runs slower than the timer
    } else if (stop()) {
      LocalDeadlines.tell(() -> tellLost("its local deadline passed before a renewal succeeded"));
    }
  }

  private void renew() {
    if (stopped.get()) {
      return;
    }
    Lease lease = current;
    if (!lease.isHeld()) {
      lost("its local deadline passed before a renewal succeeded");
      return;
    }
    Optional<Lease> renewed;
    try {
      renewed = leaser.renew(lease);
    } catch (RuntimeException e) {
      if (!stopped.get()) {
        // The store is slow or down: try again while the deadline allows, at least twice more.
        log.debug("renewing lease of {} failed; retrying", lease.resource(), e);
        schedule(Math.max(1, Math.min(periodNanos, lease.remaining().toNanos() / 3)));
      }
      return;
    }
    if (renewed.isEmpty()) {
      lost("the store refused the renewal");
      return;
    }
    if (stopped.get()) {
      releaseQuietly(renewed.get()); // lost or closed meanwhile: nobody acts on it, free it
      return;
    }
    current = renewed.get();
    watchDeadline();
    schedule(periodNanos);
  }

  private void lost(String why) {
    if (stop()) {
      tellLost(why);
    }
  }

  /** Stops renewing; true for the one caller that stopped it. */
  private boolean stop() {
    if (!stopped.compareAndSet(false, true)) {
      return false;
    }
    cancelPending();
    return true;
  }

  private void tellLost(String why) {
    log.warn("a lease was lost: {}", why);
    Lease lease = current;
    leaser.lost(lease);
    Listeners.notify(onLost, "onLost", callback -> callback.accept(lease));
  }

  private void releaseQuietly(Lease lease) {
    try {
      leaser.release(lease);
    } catch (RuntimeException e) {
      log.debug("could not release a lease renewed too late; it expires on its own", e);
    }
  }

  private synchronized void cancelPending() {
    ScheduledFuture<?> pending = next;
    if (pending != null) {
      pending.cancel(false);
    }
    ScheduledFuture<?> check = deadline;
    if (check != null) {
      check.cancel(false);
    }
  }

  /** Stops renewing and releases the lease if it is still held. */
  @Override
  public void close() {
    if (!stop()) {
      return;
    }
    try {
      leaser.release(current);
    } catch (RuntimeException e) {
      log.warn("could not release a lease; it expires on its own", e);
    }
  }
}
