package dev.keelson.retry.internal;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts events over a sliding window, lock-free: the window is a ring of slots, each one long that
 * packs the slot's epoch (high 24 bits) with its count (low 40 bits), so a slot is reset and
 * incremented by one compare-and-set when time moves into it.
 */
public final class WindowedCounter {

  private static final int COUNT_BITS = 40;
  private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
  private static final long EPOCH_MASK = (1L << (64 - COUNT_BITS)) - 1;

  private final AtomicLongArray slots;
  private final long slotNanos;

  /**
   * @param windowNanos the window's length
   * @param slotCount how many slots it slides by (its resolution)
   */
  public WindowedCounter(long windowNanos, int slotCount) {
    this.slots = new AtomicLongArray(slotCount);
    this.slotNanos = Math.max(1, windowNanos / slotCount);
  }

  /** The slot number a time falls in; slots are counted from the ticker's origin. */
  public long epochOf(long nanos) {
    return Math.floorDiv(nanos, slotNanos);
  }

  /** Counts one event in the slot of the given epoch. */
  public void increment(long epoch) {
    int index = (int) Math.floorMod(epoch, (long) slots.length());
    long tag = epoch & EPOCH_MASK;
    while (true) {
      long current = slots.get(index);
      long next = (current >>> COUNT_BITS) == tag ? current + 1 : (tag << COUNT_BITS) | 1;
      if (slots.compareAndSet(index, current, next)) {
        return;
      }
    }
  }

  /**
   * Takes back one event counted in the slot of the given epoch; nothing if that slot has none (the
   * event was counted in an earlier slot: the window then ends it a little early).
   */
  public void decrement(long epoch) {
    int index = (int) Math.floorMod(epoch, (long) slots.length());
    long tag = epoch & EPOCH_MASK;
    while (true) {
      long current = slots.get(index);
      if ((current >>> COUNT_BITS) != tag || (current & COUNT_MASK) == 0) {
        return;
      }
      if (slots.compareAndSet(index, current, current - 1)) {
        return;
      }
    }
  }

  /** Events in the window that ends with the slot of the given epoch. */
  public long sum(long epoch) {
    long tag = epoch & EPOCH_MASK;
    long total = 0;
    for (int i = 0; i < slots.length(); i++) {
      long slot = slots.get(i);
      long age = (tag - (slot >>> COUNT_BITS)) & EPOCH_MASK;
      if (age < slots.length()) {
        total += slot & COUNT_MASK;
      }
    }
    return total;
  }
}
