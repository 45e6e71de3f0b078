package dev.keelson.ratelimit.internal;

import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.RateLimit;

/**
 * A contended key's state split into stripes that do not share cache lines, so threads on different
 * stripes stop passing one line back and forth. Each stripe runs the key's algorithm over the whole
 * limit, counted in units, and a permit costs one unit per stripe: all stripes together hold
 * exactly the limit, so the bound of the algorithm holds for the key as a whole in every window.
 *
 * <p>A thread takes from its home stripe (picked by its id). When that stripe is short, it gathers
 * the units from all stripes, and denies only when all of them together are short: a stripe's
 * permits are never stranded while another thread is denied. Subclasses hold the stripes.
 */
abstract class Stripes {

  /** Stripes for a contended key: one per core (a power of two), at most 64. */
  static final int PER_KEY =
      Math.min(64, Integer.highestOneBit(2 * Runtime.getRuntime().availableProcessors() - 1));

  /**
   * Below this many permits per stripe a key stays whole: a request would rarely fit in one stripe,
   * so every thread would gather from all of them.
   */
  private static final long MIN_PERMITS_PER_STRIPE = 8;

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private final RateLimit limit;
  private final int count;
  private final int homeShift;

  /**
   * @param count the number of stripes, a power of two, at least 2
   */
  Stripes(RateLimit limit, int count) {
    if (count < 2 || Integer.bitCount(count) != 1) {
      throw new IllegalArgumentException("count: " + count + " must be a power of two, at least 2");
    }
    this.limit = limit;
    this.count = count;
    this.homeShift = 64 - Integer.numberOfTrailingZeros(count);
  }

  /** Whether a key with this limit gains from {@code count} stripes. */
  static boolean worthSplitting(long limit, int count) {
    return count >= 2 && limit >= MIN_PERMITS_PER_STRIPE * count;
  }

  /** Takes {@code units} from one stripe, or nothing when it is short. */
  abstract boolean take(int stripe, long now, long units);

  /** The units one stripe could grant at {@code now}. */
  abstract long remaining(int stripe, long now);

  /**
   * Gives back up to {@code units} to one stripe, as far as it has room for them.
   *
   * @return the units given back
   */
  abstract long giveBack(int stripe, long now, long units);

  abstract long resetAfterNanos(int stripe, long now);

  final int count() {
    return count;
  }

  /**
   * The calling thread's home stripe: thread ids spread over the stripes by a multiplicative hash.
   */
  final int home() {
    return (int) ((Thread.currentThread().getId() * GOLDEN) >>> homeShift);
  }

  final boolean tryAcquire(long now, int permits, int home) {
    long units = (long) permits * count;
    return take(home, now, units) || gather(now, units, home);
  }

  final Decision decide(long now, int permits, int home) {
    boolean allowed = tryAcquire(now, permits, home);
    return Decision.of(
        allowed,
        remaining(now) / count,
        limit.limit(),
        resetAfterNanos(now),
        allowed ? 0 : retryAfterNanos(now, (long) permits * count),
        limit.name());
  }

  /** Gives back permits granted earlier, to whichever stripes have room for them. */
  final void refund(long now, int permits, int home) {
    giveBack(now, (long) permits * count, home);
  }

  /** Takes {@code units} from the stripes in turn from home, or none if they are short together. */
  private boolean gather(long now, long units, int home) {
    if (remaining(now) < units) {
      return false;
    }
    long missing = units;
    for (int i = 0; i < count && missing > 0; i++) {
      int stripe = (home + i) & (count - 1);
      long taken = Math.min(missing, remaining(stripe, now));
      if (taken > 0 && take(stripe, now, taken)) {
        missing -= taken;
      }
    }
    if (missing == 0) {
      return true;
    }
    // Other threads took what we counted on: what this call took goes back.
    giveBack(now, units - missing, home);
    return false;
  }

  private void giveBack(long now, long units, int home) {
    long left = units;
    for (int i = 0; i < count && left > 0; i++) {
      left -= giveBack((home + i) & (count - 1), now, left);
    }
  }

  /** Units left in all stripes at {@code now}. */
  private long remaining(long now) {
    long sum = 0;
    for (int stripe = 0; stripe < count; stripe++) {
      sum += remaining(stripe, now);
    }
    return sum;
  }

  private long resetAfterNanos(long now) {
    long latest = 0;
    for (int stripe = 0; stripe < count; stripe++) {
      latest = Math.max(latest, resetAfterNanos(stripe, now));
    }
    return latest;
  }

  /**
   * The least wait after which the stripes together hold {@code units}: what is left only grows
   * with time, and once every stripe has reset they hold the whole limit, so a binary search over
   * that span finds it to the nanosecond. Denials only.
   */
  private long retryAfterNanos(long now, long units) {
    long low = 0;
    long high = resetAfterNanos(now);
    while (low < high) {
      long middle = low + (high - low) / 2;
      if (remaining(now + middle) >= units) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    return low;
  }
}
