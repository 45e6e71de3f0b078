package dev.keelson.ratelimit.internal;

import dev.keelson.ratelimit.RateLimit;

/**
 * Stripes of a sliding window counter: a ring per stripe, each a copy of the key's ring as it was
 * frozen. Each ring's counts are in units (a permit is one unit per stripe), so the key's history
 * counts in full on every stripe and the stripes together hold the limit.
 */
final class SlidingWindowStripes extends Stripes {

  private final RateLimit limit;
  private final SlidingWindowState[] rings;
  private volatile boolean started;

  SlidingWindowStripes(RateLimit limit, int count) {
    super(limit, count);
    this.limit = limit;
    this.rings = new SlidingWindowState[count];
  }

  /** Gives every stripe a copy of the key's frozen ring; callers may use the stripes after. */
  void start(long[] frozen) {
    for (int stripe = 0; stripe < rings.length; stripe++) {
      rings[stripe] = new SlidingWindowState(limit, frozen);
    }
    started = true;
  }

  boolean started() {
    return started;
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
