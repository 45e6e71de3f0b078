package dev.keelson.ratelimit.internal;

import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.RateLimit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A contended key's state split into stripes on separate cache lines, so threads on different
 * stripes stop passing one line back and forth. Each stripe runs the key's algorithm over the whole
 * limit, counted in units, and a permit costs one unit per stripe: all stripes together hold
 * exactly the limit, so the bound of the algorithm holds for the key as a whole in every window.
 *
 * <p>A thread takes from its home stripe (picked by its id). When that stripe is short, it gathers
 * the units from all stripes, and denies only when all of them together are short: a stripe's
 * permits are never stranded while another thread is denied.
 */
final class Stripes {

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

  /** Longs between stripes: 128 bytes, so no two share a cache line or its prefetched pair. */
  private static final int SPACING = 16;

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private final PackedAlgorithm algorithm;
  private final long[] slots;
  private final int count;
  private final int homeShift;

  /**
   * @param state the key's state until now: every stripe starts from it, which splits the permits
   *     it had left evenly (a permit is one unit per stripe)
   * @param count the number of stripes, a power of two, at least 2
   */
  Stripes(PackedAlgorithm algorithm, long state, int count) {
    if (count < 2 || Integer.bitCount(count) != 1) {
      throw new IllegalArgumentException("count: " + count + " must be a power of two, at least 2");
    }
    this.algorithm = algorithm;
    this.count = count;
    this.slots = new long[(count + 2) * SPACING];
    this.homeShift = 64 - Integer.numberOfTrailingZeros(count);
    for (int stripe = 0; stripe < count; stripe++) {
      slots[slot(stripe)] = state;
    }
  }

  /** The calling thread's home stripe: consecutive thread ids land on different stripes. */
  int home() {
    return (int) ((Thread.currentThread().getId() * GOLDEN) >>> homeShift);
  }

  boolean tryAcquire(long now, int permits, int home) {
    long units = (long) permits * count;
    int slot = slot(home);
    long current = (long) SLOT.getVolatile(slots, slot);
    long next = algorithm.take(current, now, units);
    return (next != current && SLOT.compareAndSet(slots, slot, current, next))
        || gather(now, units, home);
  }

  Decision decide(long now, int permits, int home) {
    boolean allowed = tryAcquire(now, permits, home);
    RateLimit limit = algorithm.limit();
    long units = (long) permits * count;
    return new Decision(
        allowed,
        remaining(now) / count,
        limit.limit(),
        resetAfterNanos(now),
        allowed ? 0 : retryAfterNanos(now, units),
        limit.name());
  }

  /** Gives back permits granted earlier, to whichever stripes have room for them. */
  void refund(long now, int permits, int home) {
    giveBack(now, (long) permits * count, home);
  }

  /** Takes {@code units} from the stripes in turn from home, or none if they are short together. */
  private boolean gather(long now, long units, int home) {
    if (remaining(now) < units) {
      return false;
    }
    long missing = units;
    for (int i = 0; i < count && missing > 0; i++) {
      missing -= takeUpTo(slot((home + i) & (count - 1)), now, missing);
    }
    if (missing == 0) {
      return true;
    }
    // Other threads took what we counted on: what this call took goes back.
    giveBack(now, units - missing, home);
    return false;
  }

  private long takeUpTo(int slot, long now, long units) {
    while (true) {
      long current = (long) SLOT.getVolatile(slots, slot);
      long taken = Math.min(units, algorithm.remaining(current, now));
      if (taken <= 0) {
        return 0;
      }
      long next = algorithm.take(current, now, taken);
      if (next == current) {
        return 0;
      }
      if (SLOT.compareAndSet(slots, slot, current, next)) {
        return taken;
      }
    }
  }

  private void giveBack(long now, long units, int home) {
    long capacity = algorithm.limit().limit();
    long left = units;
    for (int i = 0; i < count && left > 0; i++) {
      int slot = slot((home + i) & (count - 1));
      while (true) {
        long current = (long) SLOT.getVolatile(slots, slot);
        long given = Math.min(left, capacity - algorithm.remaining(current, now));
        if (given <= 0) {
          break;
        }
        long next = algorithm.refund(current, now, given);
        if (next == current || SLOT.compareAndSet(slots, slot, current, next)) {
          left -= given;
          break;
        }
      }
    }
  }

  /** Units left in all stripes at {@code now}. */
  private long remaining(long now) {
    long sum = 0;
    for (int stripe = 0; stripe < count; stripe++) {
      sum += algorithm.remaining((long) SLOT.getVolatile(slots, slot(stripe)), now);
    }
    return sum;
  }

  private long resetAfterNanos(long now) {
    long latest = 0;
    for (int stripe = 0; stripe < count; stripe++) {
      latest =
          Math.max(
              latest, algorithm.resetAfterNanos((long) SLOT.getVolatile(slots, slot(stripe)), now));
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

  private static int slot(int stripe) {
    return (stripe + 1) * SPACING;
  }
}
