package dev.keelson.leasing;

/**
 * Hears what a {@link Leaser} does with its leases, for metrics and logs. Every method has an empty
 * default; implementations must be thread-safe and quick. Resources may name people or tenants: do
 * not log them at INFO or above. A listener that throws is logged (once per kind at WARN) and
 * ignored: it never changes an outcome or stops a keep-alive, an election or a claim.
 */
public interface LeaseListener {

  /** Hears nothing. */
  LeaseListener NONE = new LeaseListener() {};

  default void onAcquired(Lease lease) {}

  default void onRenewed(Lease lease) {}

  /** A kept-alive lease was lost: refused by the store, or not renewed before its deadline. */
  default void onLost(Lease lease) {}

  default void onReleased(Lease lease) {}
}
