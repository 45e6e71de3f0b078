package dev.keelson.leasing;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
 */
public final class KeepAlive implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KeepAlive.class);

  private final Leaser leaser;
  private final ScheduledExecutorService scheduler;
  private final Consumer<Lease> onLost;
  private final long periodNanos;
  private volatile Lease current;
  private volatile boolean stopped;
  private volatile @Nullable ScheduledFuture<?> next;

  KeepAlive(
      Leaser leaser, Lease lease, ScheduledExecutorService scheduler, Consumer<Lease> onLost) {
    this.leaser = leaser;
    this.current = lease;
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.onLost = Objects.requireNonNull(onLost, "onLost");
    this.periodNanos = Math.max(1, lease.ttl().toNanos() / 3);
  }

  void start() {
    schedule();
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
    return !stopped;
  }

  private void schedule() {
    try {
      next = scheduler.schedule(this::renew, periodNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      lost("the scheduler refused the next renewal");
    }
  }

  private void renew() {
    if (stopped) {
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
      // The store is slow or down: try again until the local deadline says otherwise.
      log.debug("renewing lease of {} failed; retrying", lease.resource(), e);
      schedule();
      return;
    }
    if (renewed.isEmpty()) {
      lost("the store refused the renewal");
      return;
    }
    current = renewed.get();
    schedule();
  }

  private void lost(String why) {
    if (stopped) {
      return;
    }
    stopped = true;
    log.warn("a lease was lost: {}", why);
    leaser.lost(current);
    onLost.accept(current);
  }

  /** Stops renewing and releases the lease if it is still held. */
  @Override
  public void close() {
    if (stopped) {
      return;
    }
    stopped = true;
    ScheduledFuture<?> pending = next;
    if (pending != null) {
      pending.cancel(false);
    }
    try {
      leaser.release(current);
    } catch (RuntimeException e) {
      log.warn("could not release a lease; it expires on its own", e);
    }
  }
}
