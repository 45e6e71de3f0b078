package dev.keelson.ratelimit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Stripes of a one-{@code long} algorithm: one array, a stripe every 128 bytes. */
final class PackedStripes extends Stripes {

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

  /** Longs between stripes: 128 bytes, so no two share a cache line or its prefetched pair. */
  private static final int SPACING = 16;

  private final PackedAlgorithm algorithm;
  private final long[] slots;

  /** Stripes to {@link #fill} before anyone uses them. */
  PackedStripes(PackedAlgorithm algorithm, int count) {
    super(algorithm.limit(), count);
    this.algorithm = algorithm;
    this.slots = new long[(count + 2) * SPACING];
  }

  /**
   * Starts every stripe from the key's state, which splits the permits it had left evenly (a permit
   * is one unit per stripe). Before the stripes are published.
   */
  void fill(long state) {
    for (int stripe = 0; stripe < count(); stripe++) {
      slots[slot(stripe)] = state;
    }
  }

  @Override
  boolean take(int stripe, long now, long units) {
    int slot = slot(stripe);
    while (true) {
      long current = (long) SLOT.getVolatile(slots, slot);
      long next = algorithm.take(current, now, units);
      if (next == current) {
        return false;
      }
      if (SLOT.compareAndSet(slots, slot, current, next)) {
        return true;
      }
    }
  }

  @Override
  long remaining(int stripe, long now) {
    // Below zero for a caller whose clock read is behind the stripe's: nothing is left, not less.
    return Math.max(0, algorithm.remaining((long) SLOT.getVolatile(slots, slot(stripe)), now));
  }

  @Override
  long giveBack(int stripe, long now, long units) {
    int slot = slot(stripe);
    while (true) {
      long current = (long) SLOT.getVolatile(slots, slot);
      long given = Math.min(units, algorithm.limit().limit() - algorithm.remaining(current, now));
      if (given <= 0) {
        return 0;
      }
      long next = algorithm.refund(current, now, given);
      if (next == current || SLOT.compareAndSet(slots, slot, current, next)) {
        return given;
      }
    }
  }

  @Override
  long resetAfterNanos(int stripe, long now) {
    return algorithm.resetAfterNanos((long) SLOT.getVolatile(slots, slot(stripe)), now);
  }

  private static int slot(int stripe) {
    return (stripe + 1) * SPACING;
  }
}
