package dev.keelson.leasing;

/**
 * Hears a candidate become leader or stop being one. Runs on the election's scheduler, except a
 * loss found at the lease's local deadline while a renewal hangs, which is reported on Keelson's
 * deadline thread at once: keep both quick. A listener that throws is logged (once per kind at
 * WARN) and ignored: it never stops the election.
 */
public interface LeadershipListener {

  /**
   * This candidate leads now.
   *
   * @param token the lease's fencing token: pass it to everything the leader writes
   */
  default void onGained(long token) {}

  /** This candidate no longer leads (lost, or stepped down on close). */
  default void onLost() {}
}
