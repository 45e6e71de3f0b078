package dev.keelson.leasing;

import dev.keelson.core.Ticker;
import dev.keelson.core.internal.Checks;
import dev.keelson.core.internal.Listeners;
import dev.keelson.core.internal.Names;
import dev.keelson.leasing.internal.LeaseChecks;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * Takes, renews and releases leases for one owner (this process) on a {@link LeaseStore}.
 *
 * <pre>{@code
 * Leaser leaser = Leaser.builder(store).build();
 * Optional<Lease> lease = leaser.tryAcquire("nightly-report", Duration.ofSeconds(30));
 * lease.ifPresent(l -> report.write(data, l.token()));   // the storage refuses stale tokens
 * }</pre>
 */
public final class Leaser {

  private final LeaseStore store;
  private final String owner;
  private final Ticker ticker;
  private final double safetyShare;
  private final String name;
  private final LeaseListener listener;
  private final Duration timeout;

  private Leaser(Builder builder) {
    this.timeout = builder.timeout;
    this.name = builder.name;
    this.listener = builder.listener;
    this.store = builder.store;
    this.owner = builder.owner;
    this.ticker = builder.ticker;
    this.safetyShare = builder.safetyShare;
  }

  public static Builder builder(LeaseStore store) {
    return new Builder(store);
  }

  /**
   * Takes a resource if it is free. The store's call is bounded by the leaser's timeout; a grant
   * that comes after its local deadline is returned not {@linkplain Lease#isHeld() held}.
   *
   * @param resource what to lease: 1 to 512 characters, no '{' or '}'
   * @param ttl how long, 10 ms to 1 day
   * @return the lease, or empty if someone else holds the resource
   * @throws RuntimeException if the store fails or does not answer in time
   */
  public Optional<Lease> tryAcquire(String resource, Duration ttl) {
    LeaseChecks.resource(resource);
    LeaseChecks.ttl(ttl);
    long start = ticker.nanoTime();
    Optional<Lease> lease =
        store.tryAcquire(resource, owner, ttl, timeout).map(grant -> lease(grant, ttl, start));
    lease.ifPresent(
        held -> Listeners.notify(listener, "onAcquired", l -> l.onAcquired(name, held)));
    return lease;
  }

  /**
   * Extends a lease still held (before its local deadline). The store's call is bounded by the time
   * left before that deadline (or the leaser's timeout, if shorter), so the caller learns the
   * outcome by then.
   *
   * @param lease the lease
   * @return the renewed lease (same token, later deadline), or empty if it was lost
   * @throws RuntimeException if the store fails or does not answer before the local deadline
   */
  public Optional<Lease> renew(Lease lease) {
    Objects.requireNonNull(lease, "lease");
    long start = ticker.nanoTime();
    long left = lease.deadlineNanos() - start;
    if (left <= 0) {
      return Optional.empty();
    }
    Optional<Lease> renewed =
        store
            .renew(lease.grant(), lease.ttl(), atLeastOneMilli(Math.min(left, timeout.toNanos())))
            .map(grant -> lease(grant, lease.ttl(), start));
    renewed.ifPresent(
        held -> Listeners.notify(listener, "onRenewed", l -> l.onRenewed(name, held)));
    return renewed;
  }

  /**
   * Gives a lease back so another owner can take the resource at once. The store's call is bounded
   * by the leaser's timeout.
   *
   * @param lease the lease
   * @return whether it was still this owner's (if not, nothing changed)
   * @throws RuntimeException if the store fails (the lease then runs out by itself)
   */
  public boolean release(Lease lease) {
    Objects.requireNonNull(lease, "lease");
    boolean released = store.release(lease.grant(), timeout);
    if (released) {
      Listeners.notify(listener, "onReleased", l -> l.onReleased(name, lease));
    }
    return released;
  }

  /**
   * Keeps a lease renewed (about every ttl/3) on the caller's scheduler until closed or lost.
   *
   * @param lease a lease just acquired
   * @param scheduler where renewals run; the caller owns it
   * @param onLost called once if the lease is lost (refused, or not renewed before its deadline)
   * @return the running keep-alive; close it to stop and release
   */
  public KeepAlive keepAlive(
      Lease lease, ScheduledExecutorService scheduler, Consumer<Lease> onLost) {
    KeepAlive keepAlive =
        new KeepAlive(this, Objects.requireNonNull(lease, "lease"), scheduler, onLost);
    keepAlive.start();
    return keepAlive;
  }

  public String owner() {
    return owner;
  }

  void lost(Lease lease) {
    Listeners.notify(listener, "onLost", l -> l.onLost(name, lease));
  }

  private Lease lease(LeaseStore.Grant grant, Duration ttl, long start) {
    return new Lease(
        grant, ttl, start + ttl.toNanos() - (long) (ttl.toNanos() * safetyShare), ticker);
  }

  /** A store call's bound: the time given, but at least a millisecond, the stores' resolution. */
  private static Duration atLeastOneMilli(long nanos) {
    return Duration.ofNanos(Math.max(nanos, 1_000_000));
  }

  /**
   * @return the name its listener events carry
   */
  public String name() {
    return name;
  }

  /** Settings of a {@link Leaser}. */
  public static final class Builder {
    private final LeaseStore store;
    private String owner = defaultOwner();
    private Ticker ticker = Ticker.system();
    private double safetyShare = 0.1;
    private String name = Names.DEFAULT;
    private LeaseListener listener = LeaseListener.NONE;
    private Duration timeout = Duration.ofSeconds(5);

    private Builder(LeaseStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * @param owner this holder's name, 1 to 128 characters (default: host, process id and a random
     *     suffix)
     * @return this builder
     */
    public Builder owner(String owner) {
      this.owner = LeaseChecks.owner(owner);
      return this;
    }

    /**
     * @param safetyShare the share of each ttl the holder gives up at the end, to allow for clock
     *     drift and the time the grant took to arrive: 0 to 0.5 (default 0.1)
     * @return this builder
     */
    public Builder safetyShare(double safetyShare) {
      this.safetyShare = Checks.between("safetyShare", safetyShare, 0.0, 0.5);
      return this;
    }

    /**
     * @param ticker the holder's monotonic clock, for its local deadline
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * @param name what this leaser's listener events carry, for metrics and logs (default {@code
     *     default}; 1 to 64 characters)
     * @return this builder
     */
    public Builder name(String name) {
      this.name = Names.check(name);
      return this;
    }

    /**
     * @param listener hears acquisitions, renewals, losses and releases
     * @return this builder
     */
    public Builder listener(LeaseListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * @param timeout the longest a call to the store may take before it fails (default 5 s; 1 ms to
     *     1 minute); a renewal waits no longer than its lease has left, if that is shorter
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout =
          Checks.between("timeout", timeout, Duration.ofMillis(1), Duration.ofMinutes(1));
      return this;
    }

    public Leaser build() {
      return new Leaser(this);
    }

    private static String defaultOwner() {
      String process = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
      return process.substring(0, Math.min(process.length(), 119))
          + "-"
          + UUID.randomUUID().toString().substring(0, 8);
    }
  }
}
