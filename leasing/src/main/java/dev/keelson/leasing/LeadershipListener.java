package dev.keelson.leasing;

/** Hears a candidate become leader or stop being one. Runs on the election's scheduler. */
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
