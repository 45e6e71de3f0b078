package dev.keelson.ratelimit.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The sliding window counter's slice ring and its slot codec: {@link #LENGTH} slots, slice {@code
 * index} in slot {@code index mod LENGTH}, each a long packing the slice number (41 bits, kept mod
 * 2^41), a sealed flag, a frozen flag and the count (21 bits). A slot never written is {@link
 * #EMPTY}, which reads as slice 0 with a count of 0 and means the same.
 *
 * <p>Static methods over a {@code long[]} its owner holds, read and written with volatile
 * semantics: a decision reaches the slots through no ring object (and a key costs none). What the
 * flags mean to callers (sealing, freezing for a split) is {@link SlidingWindowState}'s protocol;
 * this class only packs, reads, rotates and copies.
 */
final class SliceRing {

  /** The slices of a window and the one sliding out of it. */
  static final int LENGTH = SlidingWindowMath.SLICES + 1;

  /** Bits of a slot's count: the counter's arithmetic relies on counts fitting them. */
  static final int COUNT_BITS = 21;

  static final long MAX_COUNT = (1L << COUNT_BITS) - 1;

  static final long EMPTY = 0;

  private static final long FROZEN = 1L << COUNT_BITS;
  private static final long SEALED = FROZEN << 1;
  private static final int TAG_SHIFT = COUNT_BITS + 2;

  /** A padded ring's slot before {@link #fill}: padded rings never freeze, so it is unique. */
  private static final long UNFILLED = FROZEN;

  /** Unused longs on either side of a padded ring: 128 bytes. */
  private static final int PAD = 16;

  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);

  private SliceRing() {}

  /** An empty ring, starting at 0. */
  static long[] whole() {
    return new long[LENGTH];
  }

  /**
   * A ring to {@link #fill}, between 128 unused bytes on either side, so it shares no cache line
   * (or its prefetched pair) with another ring or object, wherever the collector puts it.
   */
  static long[] padded() {
    long[] ring = new long[PAD + LENGTH + PAD];
    Arrays.fill(ring, PAD, PAD + LENGTH, UNFILLED);
    return ring;
  }

  /** Where the ring starts in the array: after the padding, for a padded ring. */
  static int first(long[] ring) {
    return ring.length == LENGTH ? 0 : PAD;
  }

  /** Where slice {@code index} is kept in the array. */
  static int position(int first, long index) {
    return first + (int) Math.floorMod(index, (long) LENGTH);
  }

  static long get(long[] ring, int position) {
    return (long) SLOTS.getVolatile(ring, position);
  }

  static boolean compareAndSet(long[] ring, int position, long expected, long slot) {
    return SLOTS.compareAndSet(ring, position, expected, slot);
  }

  /** Slice {@code index}'s count, or 0 if its slot holds another slice. */
  static long countOf(long[] ring, int first, long index) {
    long slot = get(ring, position(first, index));
    return holds(slot, index) ? count(slot) : 0;
  }

  /** The counts of slice {@code index} and the {@code LENGTH - 1} before it, newest first. */
  static long[] counts(long[] ring, int first, long index) {
    long[] counts = new long[LENGTH];
    for (int age = 0; age < LENGTH; age++) {
      counts[age] = countOf(ring, first, index - age);
    }
    return counts;
  }

  /**
   * The newest slice any slot shows a caller has reached, if after {@code index}: a written slot's
   * slice was reached, and a sealed one was sealed from a later slice.
   */
  static long newest(long[] ring, int first, long index) {
    long newest = index;
    for (int i = 0; i < LENGTH; i++) {
      long slot = get(ring, first + i);
      if (slot != EMPTY) {
        long reached = index + ahead(slot, index) + (isSealed(slot) ? 1 : 0);
        newest = Math.max(newest, reached);
      }
    }
    return newest;
  }

  /**
   * Freezes every slot: a frozen slot keeps its value, and no compare-and-set that expects an
   * unfrozen one succeeds, so the ring never changes again. Any number of callers may freeze at
   * once: they all see the same ring.
   *
   * @return the ring as it stood, unfrozen, from slot 0
   */
  static long[] freeze(long[] ring, int first) {
    long[] frozen = new long[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      while (true) {
        long slot = get(ring, first + i);
        if (isFrozen(slot)) {
          frozen[i] = slot & ~FROZEN;
          break;
        }
        if (compareAndSet(ring, first + i, slot, slot | FROZEN)) {
          frozen[i] = slot;
          break;
        }
      }
    }
    return frozen;
  }

  /** Copies a frozen ring into a padded one, slot by slot unless another caller already has. */
  static void fill(long[] ring, int first, long[] frozen) {
    for (int i = 0; i < LENGTH; i++) {
      compareAndSet(ring, first + i, UNFILLED, frozen[i]);
    }
  }

  /** Slice {@code index} (mod 2^41) holding {@code count}, at most {@link #MAX_COUNT}. */
  static long packed(long index, long count, boolean sealed) {
    return (index << TAG_SHIFT) | (sealed ? SEALED : 0) | count;
  }

  /** The slot with {@code permits} more counted: the caller keeps the count within its bits. */
  static long plus(long slot, long permits) {
    return slot + permits;
  }

  static long count(long slot) {
    return slot & MAX_COUNT;
  }

  static boolean isSealed(long slot) {
    return (slot & SEALED) != 0;
  }

  static boolean isFrozen(long slot) {
    return (slot & FROZEN) != 0;
  }

  /** Whether the slot holds slice {@code index}, neither sealed nor frozen: one comparison. */
  static boolean isOpen(long slot, long index) {
    return (slot & ~MAX_COUNT) == index << TAG_SHIFT;
  }

  /** Whether the slot holds slice {@code index} (sealed, frozen or not). */
  static boolean holds(long slot, long index) {
    return slot != EMPTY && ahead(slot, index) == 0;
  }

  /** Whether the slot holds a slice after {@code index}. */
  static boolean isNewer(long slot, long index) {
    return slot != EMPTY && ahead(slot, index) > 0;
  }

  /**
   * How many slices the slot's slice is ahead of {@code index} (negative: behind), mod 2^41: from
   * -2^40 to 2^40 - 1.
   */
  static long ahead(long slot, long index) {
    return ((slot >> TAG_SHIFT) - index) << TAG_SHIFT >> TAG_SHIFT;
  }
}
