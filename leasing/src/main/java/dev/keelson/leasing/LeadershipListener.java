package dev.keelson.leasing;

import dev.keelson.core.internal.Listeners;

/**
 * Hears a candidate become leader or stop being one, in the order it happens: never a gain after
 * the loss that ended it. Runs on the election's scheduler, except a loss found at the lease's
 * local deadline while a renewal hangs, which is reported on Keelson's deadline thread at once, and
 * a step-down by {@link LeaderElection#close()}, reported on the closing thread: keep both quick
 * (one waits while the other is told). A listener that throws is logged (once per kind at WARN) and
 * ignored: it never stops the election. Every event carries the {@link LeaderElection#name() name}
 * of the election it comes from, so one listener can serve many.
 */
public interface LeadershipListener {

  /** Hears nothing. */
  LeadershipListener NONE = new LeadershipListener() {};

  /**
   * One listener that tells each of these in turn; one that throws does not stop the next.
   *
   * @param listeners the listeners, in order
   * @return the combined listener ({@link #NONE} for none, the listener itself for one)
   * @throws NullPointerException if a listener is null
   */
  static LeadershipListener of(LeadershipListener... listeners) {
    return Listeners.combine(listeners, NONE, CombinedLeadershipListener::new);
  }

  /**
   * This candidate leads now.
   *
   * @param election the election's name
   * @param token the lease's fencing token: pass it to everything the leader writes
   */
  default void onGained(String election, long token) {}

  /**
   * This candidate no longer leads (lost, or stepped down on close).
   *
   * @param election the election's name
   */
  default void onLost(String election) {}
}
