package dev.keelson.ratelimit.internal;

import java.util.Objects;

/** The checks every hierarchy makes on a request, so that all reject the same requests alike. */
public final class HierarchyRequests {

  private HierarchyRequests() {}

  /**
   * @param levels the hierarchy's level count
   * @param maxPermits the smallest level's limit
   * @param permits the request's cost
   * @param keys the request's keys, one per level
   */
  public static void check(int levels, long maxPermits, int permits, String[] keys) {
    Objects.requireNonNull(keys, "keys");
    if (keys.length != levels) {
      throw new IllegalArgumentException(
          "keys: " + keys.length + " given for " + levels + " levels; one key per level");
    }
    if (permits < 1 || permits > maxPermits) {
      throw new IllegalArgumentException(
          "permits: " + permits + " is not in 1.." + maxPermits + " (the smallest level's limit)");
    }
    // Every key before any level is taken: a bad inner key must not leave an outer level counted.
    for (int i = 0; i < keys.length; i++) {
      Keys.check("keys[" + i + "]", keys[i]);
    }
  }
}
