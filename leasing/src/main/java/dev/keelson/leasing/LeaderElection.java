package dev.keelson.leasing;

import dev.keelson.core.internal.Listeners;
import dev.keelson.core.internal.Names;
import dev.keelson.leasing.internal.LeaseChecks;
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
 * LeaderElection election = LeaderElection.builder(leaser, "scheduler-leader", executor)
 *     .listener(new LeadershipListener() {
 *       public void onGained(String election, long token) { startScheduling(token); }
 *       public void onLost(String election) { stopScheduling(); }
 *     })
 *     .start();
 * }</pre>
 */
public final class LeaderElection implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);

  private final Leaser leaser;
  private final String resource;
  private final Duration ttl;
  private final ScheduledExecutorService scheduler;
  private final LeadershipListener listener;
  private final String name;
  private final long attemptEveryNanos;
  private volatile @Nullable KeepAlive leadership;
  private volatile @Nullable ScheduledFuture<?> nextAttempt;
  private volatile boolean closed;
  // Held while the listener is told, so it hears gains and losses in the order they happened
  // (never a gain after the loss that ended it): each change of leadership is told by reading the
  // latest one under this lock.
  private final Object telling = new Object();
  private boolean toldLeading; // guarded by telling
  private long toldToken; // guarded by telling

  private LeaderElection(Builder builder) {
    this.leaser = builder.leaser;
    this.resource = builder.resource;
    this.ttl = builder.ttl;
    this.scheduler = builder.scheduler;
    this.listener = builder.listener;
    this.name = builder.name;
    this.attemptEveryNanos = Math.max(1, ttl.toNanos() / 3);
  }

  /**
   * Starts building a candidate; {@link Builder#start()} joins the election.
   *
   * @param leaser this candidate's leaser (its owner names the candidate)
   * @param resource the election's resource: every candidate of one election names the same
   * @param scheduler where attempts and renewals run; the caller owns it
   * @return a builder
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if the resource is not 1 to 512 characters without a Redis
   *     hash tag
   */
  public static Builder builder(
      Leaser leaser, String resource, ScheduledExecutorService scheduler) {
    return new Builder(leaser, resource, scheduler);
  }

  /**
   * @return the name its listener events carry
   */
  public String name() {
    return name;
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
    tellLeadership();
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
    tellLeadership();
    scheduleAttempt(attemptEveryNanos);
  }

  /** Tells the listener how the leadership stands now, if that is not what it was told last. */
  private void tellLeadership() {
    synchronized (telling) {
      KeepAlive current = leadership;
      long token = current != null ? current.current().token() : 0;
      if (toldLeading && (current == null || token != toldToken)) {
        toldLeading = false;
        Listeners.notify(listener, "onLost", l -> l.onLost(name));
      }
      if (current != null && !toldLeading) {
        toldLeading = true;
        toldToken = token;
        Listeners.notify(listener, "onGained", l -> l.onGained(name, token));
      }
    }
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
      tellLeadership();
    }
  }

  /** Settings of one candidate; {@link #start()} joins the election. */
  public static final class Builder {
    private final Leaser leaser;
    private final String resource;
    private final ScheduledExecutorService scheduler;
    private Duration ttl = Duration.ofSeconds(15);
    private LeadershipListener listener = LeadershipListener.NONE;
    private String name = Names.DEFAULT;
    private boolean started;

    private Builder(Leaser leaser, String resource, ScheduledExecutorService scheduler) {
      this.leaser = Objects.requireNonNull(leaser, "leaser");
      this.resource = LeaseChecks.resource(resource);
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    /**
     * @param ttl the leader's lease time to live: how long the others wait after a leader dies
     *     without stepping down (default 15 s; candidates try about every ttl/3)
     * @return this builder
     * @throws IllegalArgumentException unless it is 10 ms to a day
     */
    public Builder ttl(Duration ttl) {
      this.ttl = LeaseChecks.ttl(ttl);
      return this;
    }

    /**
     * @param listener hears leadership gained and lost (default: none; {@link
     *     LeaderElection#isLeader()} answers without one)
     * @return this builder
     */
    public Builder listener(LeadershipListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * @param name what this election's listener events carry, for metrics and logs (default {@code
     *     "default"})
     * @return this builder
     * @throws IllegalArgumentException if it is blank, longer than 64 characters or has a control
     *     character
     */
    public Builder name(String name) {
      this.name = Names.check(name);
      return this;
    }

    /**
     * Joins the election: tries to lead at once, then about every ttl/3 while not leading.
     *
     * @return the running election; close it to leave
     * @throws IllegalStateException if this builder has started its candidate already (a second
     *     one, with the same owner, would take the first one's lease as its own)
     */
    public LeaderElection start() {
      if (started) {
        throw new IllegalStateException("this builder has started its candidate already");
      }
      started = true;
      LeaderElection election = new LeaderElection(this);
      election.scheduleAttempt(0);
      return election;
    }
  }
}
