package dev.keelson.ratelimit.internal;

import dev.keelson.core.internal.Checks;
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
    Checks.between("keys.length", keys.length, levels, levels); // one key per level
    Checks.between("permits", permits, 1, maxPermits); // the smallest level's limit
    // Every key before any level is taken: a bad inner key must not leave an outer level counted.
    for (int i = 0; i < keys.length; i++) {
      Keys.check("keys[" + i + "]", keys[i]);
    }
  }
}
