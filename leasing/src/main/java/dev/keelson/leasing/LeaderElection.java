package dev.keelson.leasing;

import dev.keelson.core.internal.Listeners;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a lease: candidates try to take one resource about every third of the ttl; the
 * one that holds it leads and keeps it alive; when it loses the lease (or closes), the others can
 * take over, with a larger fencing token. Everything runs on the caller's scheduler; {@link
 * #close()} steps down gracefully (releases the lease, so a successor need not wait for expiry).
 *
 * <pre>{@code
 * LeaderElection election = LeaderElection.start(leaser, "scheduler-leader", Duration.ofSeconds(15),
 *     executor, new LeadershipListener() {
 *       public void onGained(long token) { startScheduling(token); }
 *       public void onLost() { stopScheduling(); }
 *     });
 * }</pre>
 */
public final class LeaderElection implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

  private final Leaser leaser;
  private final String resource;
  private final Duration ttl;
  private final ScheduledExecutorService scheduler;
  private final LeadershipListener listener;
  private final long attemptEveryNanos;
  private volatile @Nullable KeepAlive leadership;
  private volatile @Nullable ScheduledFuture<?> nextAttempt;
  private volatile boolean closed;

  private LeaderElection(
      Leaser leaser,
      String resource,
      Duration ttl,
      ScheduledExecutorService scheduler,
      LeadershipListener listener) {
    this.leaser = Objects.requireNonNull(leaser, "leaser");
    LeaseStore.checkResource(resource);
    LeaseStore.checkTtl(ttl);
    this.resource = resource;
    this.ttl = ttl;
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.attemptEveryNanos = Math.max(1, ttl.toNanos() / 3);
  }

  /**
   * Joins the election: tries to lead at once, then about every ttl/3 while not leading.
   *
   * @param leaser this candidate's leaser (its owner names the candidate)
   * @param resource the election's resource
   * @param ttl the leader's lease time to live
   * @param scheduler where attempts and renewals run; the caller owns it
   * @param listener hears leadership gained and lost
   * @return the running election
   */
  public static LeaderElection start(
      Leaser leaser,
      String resource,
      Duration ttl,
      ScheduledExecutorService scheduler,
      LeadershipListener listener) {
    LeaderElection election = new LeaderElection(leaser, resource, ttl, scheduler, listener);
    election.scheduleAttempt(0);
    return election;
  }

  /**
   * @return whether this candidate leads now (its lease is held, by its local deadline)
   */
  public boolean isLeader() {
    KeepAlive current = leadership;
    return current != null && current.isActive() && current.current().isHeld();
  }

  /**
   * @return the fencing token of the current leadership, empty when not leading
   */
  public OptionalLong token() {
    KeepAlive current = leadership;
    return isLeader() && current != null
        ? OptionalLong.of(current.current().token())
        : OptionalLong.empty();
  }

  private void scheduleAttempt(long delayNanos) {
    if (closed) {
      return;
    }
    try {
      nextAttempt = scheduler.schedule(this::attempt, delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      log.warn("election for {} stops: the scheduler refused the next attempt", resource);
    }
  }

  private void attempt() {
    if (closed) {
      return;
    }
    try {
      leaser
          .tryAcquire(resource, ttl)
          .ifPresentOrElse(this::lead, () -> scheduleAttempt(attemptEveryNanos));
    } catch (RuntimeException e) {
      log.debug("election attempt for {} failed; retrying", resource, e);
      scheduleAttempt(attemptEveryNanos);
    }
  }

  private void lead(Lease lease) {
    KeepAlive kept = leaser.keepAlive(lease, scheduler, lost -> lostLeadership(lost.token()));
    boolean leads;
    synchronized (this) {
      leads = !closed;
      if (leads) {
        leadership = kept;
      }
    }
    if (!leads) {
      kept.close(); // closed while the attempt was under way: step down at once
      return;
    }
    Listeners.notify(listener, "onGained", l -> l.onGained(lease.token()));
    if (!kept.isActive()) {
      lostLeadership(lease.token()); // lost before it was recorded as the leadership
    }
  }

  /** Steps down from the leadership with this token, once, unless close() did already. */
  private void lostLeadership(long token) {
    synchronized (this) {
      KeepAlive current = leadership;
      if (current == null || current.current().token() != token) {
        return;
      }
      leadership = null;
    }
    Listeners.notify(listener, "onLost", LeadershipListener::onLost);
    scheduleAttempt(attemptEveryNanos);
  }

  /** Leaves the election, stepping down (and releasing the lease) if leading. */
  @Override
  public void close() {
    KeepAlive current;
    synchronized (this) {
      closed = true;
      current = leadership;
      leadership = null;
    }
    ScheduledFuture<?> pending = nextAttempt;
    if (pending != null) {
      pending.cancel(false);
    }
    if (current != null) {
      current.close();
      Listeners.notify(listener, "onLost", LeadershipListener::onLost);
    }
  }
}
