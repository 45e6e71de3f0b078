package dev.keelson.leasing;

import dev.keelson.core.Ticker;
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

  private static final Duration SHORTEST_TTL = Duration.ofMillis(10);
  private static final Duration LONGEST_TTL = Duration.ofDays(1);

  private final LeaseStore store;
  private final String owner;
  private final Ticker ticker;
  private final double safetyShare;
  private final LeaseListener listener;

  private Leaser(Builder builder) {
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
   * Takes a resource if it is free.
   *
   * @param resource what to lease: 1 to 512 characters, no '{' or '}'
   * @param ttl how long, 10 ms to 1 day
   * @return the lease, or empty if someone else holds the resource
   */
  public Optional<Lease> tryAcquire(String resource, Duration ttl) {
    checkResource(resource);
    checkTtl(ttl);
    long start = ticker.nanoTime();
    Optional<Lease> lease =
        store.tryAcquire(resource, owner, ttl).map(grant -> lease(grant, ttl, start));
    lease.ifPresent(listener::onAcquired);
    return lease;
  }

  /**
   * Extends a lease still held (before its local deadline).
   *
   * @param lease the lease
   * @return the renewed lease (same token, later deadline), or empty if it was lost
   */
  public Optional<Lease> renew(Lease lease) {
    Objects.requireNonNull(lease, "lease");
    if (!lease.isHeld()) {
      return Optional.empty();
    }
    long start = ticker.nanoTime();
    Optional<Lease> renewed =
        store.renew(lease.grant(), lease.ttl()).map(grant -> lease(grant, lease.ttl(), start));
    renewed.ifPresent(listener::onRenewed);
    return renewed;
  }

  /**
   * Gives a lease back so another owner can take the resource at once.
   *
   * @param lease the lease
   * @return whether it was still this owner's (if not, nothing changed)
   */
  public boolean release(Lease lease) {
    Objects.requireNonNull(lease, "lease");
    boolean released = store.release(lease.grant());
    if (released) {
      listener.onReleased(lease);
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
    listener.onLost(lease);
  }

  private Lease lease(LeaseStore.Grant grant, Duration ttl, long start) {
    long margin = (long) (ttl.toNanos() * safetyShare);
    return new Lease(grant, ttl, start + ttl.toNanos() - margin, ticker);
  }

  static void checkResource(String resource) {
    if (resource == null || resource.isEmpty() || resource.length() > 512) {
      throw new IllegalArgumentException("resource: must be 1 to 512 characters");
    }
    if (resource.indexOf('{') >= 0 || resource.indexOf('}') >= 0) {
      throw new IllegalArgumentException(
          "resource: '" + resource + "' must not contain '{' or '}'");
    }
  }

  static void checkTtl(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.compareTo(SHORTEST_TTL) < 0 || ttl.compareTo(LONGEST_TTL) > 0) {
      throw new IllegalArgumentException(
          "ttl: " + ttl + " is not in " + SHORTEST_TTL + ".." + LONGEST_TTL);
    }
  }

  /** Settings of a {@link Leaser}. */
  public static final class Builder {
    private final LeaseStore store;
    private String owner = defaultOwner();
    private Ticker ticker = Ticker.system();
    private double safetyShare = 0.1;
    private LeaseListener listener = LeaseListener.NONE;

    private Builder(LeaseStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * @param owner this holder's name, 1 to 128 characters (default: host, process id and a random
     *     suffix)
     * @return this builder
     */
    public Builder owner(String owner) {
      if (owner == null || owner.isEmpty() || owner.length() > 128) {
        throw new IllegalArgumentException("owner: must be 1 to 128 characters");
      }
      this.owner = owner;
      return this;
    }

    /**
     * @param safetyShare the share of each ttl the holder gives up at the end, to allow for clock
     *     drift and the time the grant took to arrive: 0 to 0.5 (default 0.1)
     * @return this builder
     */
    public Builder safetyShare(double safetyShare) {
      if (!(safetyShare >= 0 && safetyShare <= 0.5)) {
        throw new IllegalArgumentException("safetyShare: " + safetyShare + " is not in 0.0..0.5");
      }
      this.safetyShare = safetyShare;
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
     * @param listener hears acquisitions, renewals, losses and releases
     * @return this builder
     */
    public Builder listener(LeaseListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public Leaser build() {
      return new Leaser(this);
    }

    private static String defaultOwner() {
      return ManagementFactory.getRuntimeMXBean().getName()
          + "-"
          + UUID.randomUUID().toString().substring(0, 8);
    }
  }
}
