package dev.keelson.leasing;

import dev.keelson.core.internal.Listeners;

/**
 * Hears what a {@link Leaser} does with its leases, for metrics and logs. Every method has an empty
 * default; implementations must be thread-safe and quick. Resources may name people or tenants: do
 * not log them at INFO or above. A listener that throws is logged (once per kind at WARN) and
 * ignored: it never changes an outcome or stops a keep-alive, an election or a claim. Every event
 * carries the {@link Leaser#name() name} of the leaser it comes from, so one listener can serve
 * many.
 */
public interface LeaseListener {

  /** Hears nothing. */
  LeaseListener NONE = new LeaseListener() {};

  /**
   * One listener that tells each of these in turn; one that throws does not stop the next.
   *
   * @param listeners the listeners, in order
   * @return the combined listener ({@link #NONE} for none, the listener itself for one)
   * @throws NullPointerException if a listener is null
   */
  static LeaseListener of(LeaseListener... listeners) {
    return Listeners.combine(listeners, NONE, CombinedLeaseListener::new);
  }

  default void onAcquired(String leaser, Lease lease) {}

  default void onRenewed(String leaser, Lease lease) {}

  /** A kept-alive lease was lost: refused by the store, or not renewed before its deadline. */
  default void onLost(String leaser, Lease lease) {}

  default void onReleased(String leaser, Lease lease) {}
}
