package dev.keelson.leasing;

import dev.keelson.core.Ticker;
import java.time.Duration;
import java.time.Instant;

/**
 * A resource held for a while, with the fencing token to show whatever the holder writes to.
 *
 * <p>The holder trusts its lease only until its <em>local deadline</em>: the moment it asked for
 * the lease, plus the time to live, minus a safety margin, on its own monotonic clock. After that
 * it must act as if the lease were lost, whatever the store says, because a pause (GC, a slow disk,
 * a partition) may have outlasted the grant. The token is what makes a holder that missed its
 * deadline harmless: the protected resource refuses tokens older than one it has seen.
 */
public final class Lease {

  private final LeaseStore.Grant grant;
  private final Duration ttl;
  private final long localDeadlineNanos;
  private final Ticker ticker;

  Lease(LeaseStore.Grant grant, Duration ttl, long localDeadlineNanos, Ticker ticker) {
    this.grant = grant;
    this.ttl = ttl;
    this.localDeadlineNanos = localDeadlineNanos;
    this.ticker = ticker;
  }

  public String resource() {
    return grant.resource();
  }

  public String owner() {
    return grant.owner();
  }

  /**
   * @return the fencing token: pass it to every write the lease protects
   */
  public long token() {
    return grant.token();
  }

  /**
   * @return when the store will consider the lease expired, on the store's clock
   */
  public Instant expiresAt() {
    return grant.expiresAt();
  }

  public Duration ttl() {
    return ttl;
  }

  /**
   * @return whether the local deadline is still ahead: act on the lease only while true
   */
  public boolean isHeld() {
    return localDeadlineNanos - ticker.nanoTime() > 0;
  }

  /**
   * @return time left before the local deadline, zero once passed
   */
  public Duration remaining() {
    return Duration.ofNanos(Math.max(0, localDeadlineNanos - ticker.nanoTime()));
  }

  /** The local deadline, on the ticker. */
  long deadlineNanos() {
    return localDeadlineNanos;
  }

  LeaseStore.Grant grant() {
    return grant;
  }

  @Override
  public String toString() {
    return "Lease["
        + resource()
        + " held by "
        + owner()
        + ", token "
        + token()
        + ", expires "
        + expiresAt()
        + "]";
  }
}
