package dev.keelson.ratelimit.internal;

import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.RateLimit;

/**
 * An algorithm whose whole state for one key is a single {@code long}, so in-process limiters
 * update it with one compare-and-set and allocate nothing. {@link #EMPTY} is the state of a key
 * never seen.
 *
 * <p>Amounts are in <em>units</em>: a permit is one unit, except in {@link Stripes}, where each
 * stripe holds the whole limit in units and a permit costs one unit per stripe.
 */
public interface PackedAlgorithm {

  long EMPTY = Long.MIN_VALUE;

  /**
   * @return the state after granting {@code units} at {@code now}, or {@code state} itself when
   *     they are denied (a grant always changes the state)
   */
  long take(long state, long now, long units);

  /**
   * @return the state with {@code units} granted earlier given back (a hierarchy's outer level
   *     granted them, then an inner level denied); never emptier than a fresh key
   */
  long refund(long state, long now, long units);

  /** The units that could be granted at {@code now}. */
  long remaining(long state, long now);

  long resetAfterNanos(long state, long now);

  /** For a denied request: the time until it would be granted. */
  long retryAfterNanos(long state, long now, int permits);

  RateLimit limit();

  /** The decision for a request that was just granted (state after) or denied (state as is). */
  default Decision decision(boolean allowed, long state, long now, int permits) {
    RateLimit limit = limit();
    return Decision.of(
        allowed,
        remaining(state, now),
        limit.limit(),
        resetAfterNanos(state, now),
        allowed ? 0 : retryAfterNanos(state, now, permits),
        limit.name());
  }

  static PackedAlgorithm of(RateLimit limit) {
    switch (limit.algorithm()) {
      case TOKEN_BUCKET:
        return new TokenBucket(limit);
      case FIXED_WINDOW:
        return new FixedWindow(limit);
      default:
        throw new IllegalArgumentException(
            "algorithm: " + limit.algorithm() + " keeps more than one long per key");
    }
  }
}
