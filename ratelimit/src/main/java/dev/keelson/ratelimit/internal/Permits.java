package dev.keelson.ratelimit.internal;

import dev.keelson.core.internal.Checks;
import dev.keelson.ratelimit.RateLimit;

/** The one check of a request's cost, so every limiter refuses the same requests. */
public final class Permits {

  private Permits() {}

  /**
   * Checks a request's cost against what its rule could ever grant.
   *
   * @param limit the rule
   * @param permits the cost asked for
   * @throws IllegalArgumentException if it is below 1 or above the limit: such a request would be
   *     denied forever
   */
  public static void check(RateLimit limit, long permits) {
    if (permits < 1 || permits > limit.limit()) {
      throw Checks.notIn(
          "permits",
          permits,
          1,
          limit.limit(),
          "'" + limit.name() + "' can never grant more at once");
    }
  }
}
