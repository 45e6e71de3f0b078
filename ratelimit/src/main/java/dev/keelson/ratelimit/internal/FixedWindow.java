package dev.keelson.ratelimit.internal;

import dev.keelson.ratelimit.RateLimit;

/**
 * A counter per window aligned to multiples of the window on the ticker. State: the window's number
 * modulo 2^39 (high 39 bits) and its count (low 25 bits).
 */
final class FixedWindow implements PackedAlgorithm {

  // One bit more than the largest limit (2^24) needs, so a full count never reaches the tag.
  private static final int COUNT_BITS = 25;
  static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
  private static final long INDEX_MASK = (1L << (64 - COUNT_BITS)) - 1;

  private final RateLimit limit;
  private final long window;
  private final long maxCount;
  private volatile long lastIndex;

  FixedWindow(RateLimit limit) {
    this.limit = limit;
    this.window = limit.period().toNanos();
    this.maxCount = limit.limit();
  }

  @Override
  public long take(long state, long now, long units) {
    long index = index(now);
    // Most decisions: the state already counts now's window, so the permits just add to it.
    // (EMPTY reads as some window's count of zero, which is what it is.)
    if ((state & ~COUNT_MASK) == (index & INDEX_MASK) << COUNT_BITS) {
      return (state & COUNT_MASK) + units <= maxCount ? state + units : state;
    }
    return takeAcrossWindows(state, index, units);
  }

  /** The state counts another window than now's: an earlier one, or a later one (see below). */
  private long takeAcrossWindows(long state, long index, long units) {
    if (state != EMPTY) {
      // A caller whose clock read is older than another's (it stalled in between) counts in the
      // newer window: writing its own window back would wipe the newer window's count.
      index += Math.max(0, ((state >>> COUNT_BITS) - index) << COUNT_BITS >> COUNT_BITS);
    }
    long count = count(state, index) + units;
    return count <= maxCount ? ((index & INDEX_MASK) << COUNT_BITS) | count : state;
  }

  @Override
  public long refund(long state, long now, long units) {
    long index = Math.floorDiv(now, window);
    long count = count(state, index);
    // Permits of an earlier window have expired already: nothing to give back.
    return count == 0 ? state : ((index & INDEX_MASK) << COUNT_BITS) | Math.max(0, count - units);
  }

  @Override
  public long remaining(long state, long now) {
    return limit.limit() - count(state, Math.floorDiv(now, window));
  }

  @Override
  public long resetAfterNanos(long state, long now) {
    long index = Math.floorDiv(now, window);
    return count(state, index) == 0 ? 0 : (index + 1) * window - now;
  }

  @Override
  public long retryAfterNanos(long state, long now, int permits) {
    return (Math.floorDiv(now, window) + 1) * window - now;
  }

  @Override
  public RateLimit limit() {
    return limit;
  }

  /**
   * The window {@code now} falls in. Most decisions fall in the window of the one before, so that
   * window is kept as a hint and checked with a multiplication, sparing the division.
   */
  private long index(long now) {
    long index = lastIndex;
    long elapsed = now - index * window;
    if (elapsed < 0 || elapsed >= window) {
      index = Math.floorDiv(now, window);
      lastIndex = index;
    }
    return index;
  }

  private static long count(long state, long index) {
    return state != EMPTY && (state >>> COUNT_BITS) == (index & INDEX_MASK)
        ? state & COUNT_MASK
        : 0;
  }
}
