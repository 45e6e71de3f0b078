package dev.keelson.ratelimit.internal;

import dev.keelson.ratelimit.RateLimit;

/**
 * Stripes of a sliding window counter: a ring per stripe, each a copy of the key's ring as it was
 * frozen. Each ring's counts are in units (a permit is one unit per stripe), so the key's history
 * counts in full on every stripe and the stripes together hold the limit.
 */
final class SlidingWindowStripes extends Stripes {

  private final SlidingWindowState[] rings;
  private volatile boolean filled;

  /** Stripes with empty rings, usable once {@link #fill} has run. */
  SlidingWindowStripes(RateLimit limit, int count) {
    super(limit, count);
    this.rings = new SlidingWindowState[count];
    for (int stripe = 0; stripe < count; stripe++) {
      rings[stripe] = SlidingWindowState.stripe(limit);
    }
  }

  /**
   * Copies the key's frozen ring into every stripe. Callers may run it at once: each slot keeps the
   * first copy only.
   */
  void fill(long[] frozen) {
    for (SlidingWindowState ring : rings) {
      ring.fill(frozen);
    }
    filled = true;
  }

  boolean filled() {
    return filled;
  }

  @Override
  boolean take(int stripe, long now, long units) {
    return rings[stripe].take(now, Math.toIntExact(units)) != SlidingWindowState.DENIED;
  }

  @Override
  long remaining(int stripe, long now) {
    return rings[stripe].remaining(now);
  }

  @Override
  long giveBack(int stripe, long now, long units) {
    return rings[stripe].giveBack(now, units);
  }

  @Override
  long resetAfterNanos(int stripe, long now) {
    return rings[stripe].resetAfterNanos(now);
  }
}
