package dev.keelson.ratelimit.internal;

import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.RateLimit;

/**
 * The sliding window counter's arithmetic (the Redis script {@code sliding_window.lua} does the
 * same). A window is {@link #SLICES} slices; counts are given newest first: {@code counts[0]} is
 * the current slice, {@code counts[SLICES]} the oldest, which the window covers only in part.
 */
final class SlidingWindowMath {

  /**
   * Slices per window. Ten keep the counter within about 1% of the exact log on bursty traffic,
   * where two whole windows (the classic counter) can be off by tens of percent (see the README).
   */
  static final int SLICES = 10;

  /**
   * The longest slice for which a count times the slice fits a long (about 73 minutes): a slot's
   * count fits {@link SliceRing#COUNT_BITS}. Longer slices are weighted in doubles.
   */
  private static final long EXACT_SLICE = Long.MAX_VALUE >> SliceRing.COUNT_BITS;

  private final RateLimit limit;
  private final long maxPermits;

  SlidingWindowMath(RateLimit limit) {
    this.limit = limit;
    this.maxPermits = limit.limit();
  }

  /**
   * Whether {@code permits} more fit: {@code weighted(oldest, elapsed) + counted + permits <=
   * limit}, decided without a division when it can be (this runs on every in-process decision).
   */
  boolean fits(long counted, long oldest, long elapsed, long slice, long permits) {
    long room = maxPermits - permits - counted;
    if (room < 0) {
      return false;
    }
    if (oldest <= room) {
      return true;
    }
    // floor(oldest × inside / slice) <= room  <=>  oldest × inside < (room + 1) × slice
    return slice <= EXACT_SLICE
        ? oldest * (slice - elapsed) < (room + 1) * slice
        : weighted(oldest, elapsed, slice) <= room;
  }

  /** {@code floor(count × (slice - elapsed) / slice)}: the oldest slice's share still inside. */
  long weighted(long count, long elapsed, long slice) {
    long inside = slice - elapsed;
    return slice <= EXACT_SLICE
        ? count * inside / slice
        : (long) Math.floor(count * ((double) inside / slice));
  }

  Decision decision(boolean allowed, long[] counts, long elapsed, long slice, int permits) {
    long estimate = weighted(counts[SLICES], elapsed, slice);
    for (int age = 0; age < SLICES; age++) {
      estimate += counts[age];
    }
    return Decision.of(
        allowed,
        maxPermits - estimate,
        maxPermits,
        resetAfter(counts, elapsed, slice),
        allowed ? 0 : retryAfter(counts, elapsed, slice, permits),
        limit.name());
  }

  /** The time until every counted permit has slid out of the window. */
  static long resetAfter(long[] counts, long elapsed, long slice) {
    for (int age = 0; age <= SLICES; age++) {
      if (counts[age] > 0) {
        return (SLICES + 1 - age) * slice - elapsed;
      }
    }
    return 0;
  }

  /**
   * For a denied request: the time until the estimate leaves room for it, if nothing else is
   * granted meanwhile. Slice by slice from the current one: the first slice whose full slices leave
   * room, at the moment its oldest slice's weighted share has shrunk to fit.
   */
  private long retryAfter(long[] counts, long elapsed, long slice, int permits) {
    for (int ahead = 0; ahead <= SLICES; ahead++) {
      long full = 0;
      for (int age = 0; age < SLICES - ahead; age++) {
        full += counts[age];
      }
      long room = maxPermits - permits - full;
      if (room >= 0) {
        // Another caller may have changed the counts since the denial: never a negative wait.
        return Math.max(0, ahead * slice + slidOut(counts[SLICES - ahead], room, slice) - elapsed);
      }
    }
    throw new IllegalStateException("a request of at most the limit always fits once all slid out");
  }

  /** The first elapsed time in a slice where {@code weighted(count, elapsed) <= room}. */
  private long slidOut(long count, long room, long slice) {
    if (room >= count) {
      return 0;
    }
    if (slice <= EXACT_SLICE) {
      // floor(count × (slice - e) / slice) <= room  <=>  slice - e <= ((room + 1) × slice - 1) /
      // count
      return slice - ((room + 1) * slice - 1) / count;
    }
    return (long) Math.floor(slice * (1 - (double) (room + 1) / count)) + 1;
  }
}
