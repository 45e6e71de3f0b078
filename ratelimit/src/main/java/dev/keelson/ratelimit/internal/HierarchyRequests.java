package dev.keelson.ratelimit.internal;

import dev.keelson.core.internal.Checks;
import dev.keelson.ratelimit.RateLimit;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** The checks every hierarchy makes on a request, so that all reject the same requests alike. */
public final class HierarchyRequests {

  private HierarchyRequests() {}

  /**
   * The levels of a hierarchy, checked the same way by every hierarchy.
   *
   * @param levels the levels' rules, outermost first
   * @return an unmodifiable copy
   * @throws IllegalArgumentException if there is none, or two share a name (their state would be
   *     one key)
   */
  public static List<RateLimit> levels(List<RateLimit> levels) {
    Objects.requireNonNull(levels, "levels");
    if (levels.isEmpty()) {
      throw new IllegalArgumentException("levels: a hierarchy needs at least one level");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < levels.size(); i++) {
      RateLimit level = Objects.requireNonNull(levels.get(i), "levels[" + i + "]");
      if (!names.add(level.name())) {
        throw new IllegalArgumentException("levels: name '" + level.name() + "' is used twice");
      }
    }
    return List.copyOf(levels);
  }

  /**
   * @param levels the hierarchy's level count
   * @param maxPermits the smallest level's limit
   * @param permits the request's cost
   * @param keys the request's keys, one per level
   */
  public static void check(int levels, long maxPermits, int permits, String[] keys) {
    Objects.requireNonNull(keys, "keys");
    Checks.exactly("keys.length", keys.length, levels, "one key per level");
    if (permits < 1 || permits > maxPermits) {
      throw Checks.notIn("permits", permits, 1, maxPermits, "the smallest level's limit");
    }
    // Every key before any level is taken: a bad inner key must not leave an outer level counted.
    for (int i = 0; i < keys.length; i++) {
      Keys.check("keys[" + i + "]", keys[i]);
    }
  }
}
