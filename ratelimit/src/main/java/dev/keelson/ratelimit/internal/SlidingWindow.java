package dev.keelson.ratelimit.internal;

import dev.keelson.ratelimit.RateLimit;

/**
 * The sliding window counter: counts for the current and the previous fixed window; the estimate
 * for the sliding window ending now is {@code previous × (1 - elapsed/window) + current}. State:
 * the current window's number modulo 2^24 (high 24 bits), the previous count (next 20 bits) and the
 * current count (low 20 bits).
 */
final class SlidingWindow implements PackedAlgorithm {

  private static final int COUNT_BITS = 20;
  private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
  private static final long TAG_MASK = (1L << 24) - 1;

  private final RateLimit limit;
  private final long window;
  // Counts fit 20 bits, so count × window fits a long for windows up to about 2.4 hours: then
  // the weighting is exact integer arithmetic; longer windows fall back to doubles.
  private final boolean exact;

  SlidingWindow(RateLimit limit) {
    this.limit = limit;
    this.window = limit.period().toNanos();
    this.exact = window <= Long.MAX_VALUE >> COUNT_BITS;
  }

  @Override
  public long take(long state, long now, int permits) {
    long index = Math.floorDiv(now, window);
    long previous = previous(state, index);
    long current = current(state, index) + permits;
    if (estimate(previous, current, elapsed(now, index)) > limit.limit()) {
      return state;
    }
    return ((index & TAG_MASK) << (2 * COUNT_BITS)) | (previous << COUNT_BITS) | current;
  }

  @Override
  public long refund(long state, long now, int permits) {
    long index = Math.floorDiv(now, window);
    long current = current(state, index);
    if (current == 0) {
      return state;
    }
    long previous = previous(state, index);
    return ((index & TAG_MASK) << (2 * COUNT_BITS))
        | (previous << COUNT_BITS)
        | Math.max(0, current - permits);
  }

  @Override
  public long remaining(long state, long now) {
    long index = Math.floorDiv(now, window);
    return limit.limit()
        - estimate(previous(state, index), current(state, index), elapsed(now, index));
  }

  @Override
  public long resetAfterNanos(long state, long now) {
    long index = Math.floorDiv(now, window);
    long toWindowEnd = (index + 1) * window - now;
    if (current(state, index) > 0) {
      return toWindowEnd + window;
    }
    return previous(state, index) > 0 ? toWindowEnd : 0;
  }

  @Override
  public long retryAfterNanos(long state, long now, int permits) {
    long index = Math.floorDiv(now, window);
    long previous = previous(state, index);
    long current = current(state, index);
    long elapsed = elapsed(now, index);
    long room = limit.limit() - current - permits;
    if (room >= 0 && previous > 0) {
      // Within this window, once enough of the previous window has slid out.
      return Math.max(0, slidOut(previous, room) - elapsed);
    }
    // In the next window, the current count becomes the weighted previous one.
    long toWindowEnd = window - elapsed;
    long nextRoom = limit.limit() - permits;
    return current <= nextRoom ? toWindowEnd : toWindowEnd + slidOut(current, nextRoom);
  }

  @Override
  public RateLimit limit() {
    return limit;
  }

  private long estimate(long previous, long current, long elapsed) {
    long remainingPart = window - elapsed;
    long weighted =
        exact
            ? previous * remainingPart / window
            : (long) Math.floor(previous * ((double) remainingPart / window));
    return weighted + current;
  }

  /**
   * How far into a window the weighted {@code previous} count drops to {@code room} or below: the
   * first elapsed time where {@code floor(previous × (window - elapsed) / window) <= room}.
   */
  private long slidOut(long previous, long room) {
    if (room >= previous) {
      return 0;
    }
    if (exact) {
      // floor(previous × (window - e) / window) <= room  <=>  window - e <= ((room+1)·window - 1) /
      // previous
      return window - ((room + 1) * window - 1) / previous;
    }
    return (long) Math.floor(window * (1 - (double) (room + 1) / previous)) + 1;
  }

  private long elapsed(long now, long index) {
    return now - index * window;
  }

  private static long current(long state, long index) {
    return state != EMPTY && tag(state) == (index & TAG_MASK) ? state & COUNT_MASK : 0;
  }

  private static long previous(long state, long index) {
    if (state == EMPTY) {
      return 0;
    }
    long tag = tag(state);
    if (tag == (index & TAG_MASK)) {
      return (state >>> COUNT_BITS) & COUNT_MASK;
    }
    return tag == ((index - 1) & TAG_MASK) ? state & COUNT_MASK : 0;
  }

  private static long tag(long state) {
    return (state >>> (2 * COUNT_BITS)) & TAG_MASK;
  }
}
