package dev.keelson.ratelimit.internal;

import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.RateLimit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The sliding window counter, in {@link SlidingWindowMath#SLICES} slices per window: the estimate
 * for the window ending now counts the slices inside it fully and the oldest one, partly outside,
 * by the share of it still inside.
 *
 * <p>The counts live in a ring of {@code SLICES + 1} longs, each packing a slice number (41 bits),
 * a sealed flag and the count (21 bits). A caller adds only to the slice its clock is in, with one
 * compare-and-set. Before it decides, it seals the earlier slices of its window, so a caller whose
 * clock read is older (a thread that stalled) can no longer add to a slice others have already
 * counted: its compare-and-set fails and it decides again in the newest slice. Lock-free; {@link
 * #tryAcquire} allocates only once per slice, not per decision.
 *
 * <p>When threads collide on the ring (a compare-and-set fails), the key splits into {@link
 * SlidingWindowStripes}, a ring per stripe: the splitting thread installs them, then every slot is
 * frozen (a flag no writer's compare-and-set expects, keeping the slot's value) and each stripe's
 * ring is filled with a copy. A caller that meets the split before it is done does the same work
 * itself (freezing and filling are idempotent), so no caller waits for another.
 */
final class SlidingWindowState extends LocalState {

  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final int RING = SlidingWindowMath.SLICES + 1;

  /** Unused longs on either side of a stripe's ring: 128 bytes. */
  private static final int STRIPE_PAD = 16;

  private static final int COUNT_BITS = 21;
  private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
  private static final long FROZEN = 1L << COUNT_BITS;
  private static final long SEALED = FROZEN << 1;
  private static final int TAG_SHIFT = COUNT_BITS + 2;
  private static final VarHandle STRIPES;

  static {
    try {
      STRIPES =
          MethodHandles.lookup()
              .findVarHandle(SlidingWindowState.class, "stripes", SlidingWindowStripes.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final long DENIED = Long.MIN_VALUE;

  /** A stripe's slot before the key's ring is copied in: stripes never freeze, so it is unique. */
  private static final long UNFILLED = FROZEN;

  /** What {@link #take} says once the key has split: the stripes decide. */
  static final long SPLIT = DENIED + 1;

  // A slot never written. Slice 0 with a count of 0 packs to the same value, and means the same.
  private static final long EMPTY = 0;

  private final RateLimit limit;
  private final SlidingWindowMath math;
  private final long slice;
  private final long[] slots;

  /** Where the ring starts in {@link #slots}: after the padding, for a stripe. */
  private final int first;

  private final int stripeCount;

  /** Set once, by the thread that splits the key, before it freezes the first slot. */
  private volatile @Nullable SlidingWindowStripes stripes;

  /**
   * The sealed slices' counts for the newest slice a caller opened: one object per slice (not per
   * decision) spares every decision in the slice reading and summing the ring.
   */
  private volatile SliceView view;

  /**
   * Slice {@code index}, starting at {@code start}: the whole slices of its window before it hold
   * {@code full} permits, the one sliding out {@code oldest}.
   */
  private static final class SliceView {
    /** No time falls in it: the next caller opens its slice. Shared by every ring. */
    static final SliceView CLOSED = new SliceView(0, Long.MAX_VALUE, 0, 0, -1, 0);

    final long index;
    final long start;
    final long full;
    final long oldest;

    /** Where the slice's slot is in the ring. */
    final int position;

    /** The most the slice's count may reach with the whole oldest slice counted (no weighting). */
    final long ceiling;

    SliceView(long index, long start, long full, long oldest, long ceiling, int position) {
      this.index = index;
      this.start = start;
      this.full = full;
      this.oldest = oldest;
      this.position = position;
      this.ceiling = ceiling;
    }
  }

  SlidingWindowState(RateLimit limit) {
    this(limit, Stripes.PER_KEY);
  }

  /** With {@code stripeCount} stripes once contended; 1 never splits. */
  SlidingWindowState(RateLimit limit, int stripeCount) {
    this(limit, stripeCount, new long[RING]);
  }

  /**
   * A stripe of a split key: usable once {@link #fill} has given it the key's frozen ring. Its ring
   * sits between 128 unused bytes on either side, so no stripe's ring shares a cache line (or its
   * prefetched pair) with another stripe's ring or fields, wherever the collector puts them.
   */
  static SlidingWindowState stripe(RateLimit limit) {
    long[] slots = new long[STRIPE_PAD + RING + STRIPE_PAD];
    Arrays.fill(slots, STRIPE_PAD, STRIPE_PAD + RING, UNFILLED);
    return new SlidingWindowState(limit, 1, slots);
  }

  /** Copies the key's frozen ring into this stripe's, unless another caller already has. */
  void fill(long[] frozen) {
    for (int i = 0; i < RING; i++) {
      SLOTS.compareAndSet(slots, first + i, UNFILLED, frozen[i]);
    }
  }

  private SlidingWindowState(RateLimit limit, int stripeCount, long[] slots) {
    this.limit = limit;
    this.math = new SlidingWindowMath(limit);
    this.slice = limit.period().toNanos() / SlidingWindowMath.SLICES;
    this.slots = slots;
    this.first = slots.length == RING ? 0 : STRIPE_PAD;
    this.stripeCount = stripeCount;
    this.view = SliceView.CLOSED;
  }

  @Override
  public boolean tryAcquire(long now, int permits) {
    if (stripes == null) {
      long at = take(now, permits);
      if (at != SPLIT) {
        return at != DENIED;
      }
    }
    SlidingWindowStripes split = striped();
    return split.tryAcquire(now, permits, split.home());
  }

  @Override
  public void refund(long now, int permits) {
    if (giveBack(now, permits) < 0) {
      SlidingWindowStripes split = striped();
      split.refund(now, permits, split.home());
    }
  }

  /**
   * Gives back permits granted in now's slice, while it is still open.
   *
   * @return the permits given back, or -1 if the key has split
   */
  long giveBack(long now, long permits) {
    long index = Math.floorDiv(now, slice);
    while (true) {
      long slot = slot(index);
      if ((slot & FROZEN) != 0) {
        return -1;
      }
      if (!holds(slot, index) || (slot & SEALED) != 0 || count(slot) == 0) {
        // The permits' slice has been counted by later decisions (or emptied), or the grant was
        // moved to a later slice than now's: keep them (the safe side).
        return 0;
      }
      long given = Math.min(permits, count(slot));
      if (SLOTS.compareAndSet(
          slots, position(index), slot, packed(index, count(slot) - given, false))) {
        return given;
      }
    }
  }

  @Override
  public Decision decide(long now, int permits) {
    long grantedAt = take(now, permits);
    if (grantedAt == SPLIT) {
      SlidingWindowStripes split = striped();
      return split.decide(now, permits, split.home());
    }
    long at = grantedAt != DENIED ? grantedAt : newestTime(now);
    long index = Math.floorDiv(at, slice);
    return math.decision(grantedAt != DENIED, counts(index), at - index * slice, slice, permits);
  }

  /** Permits that could be granted at {@code now}: the limit less the estimate. */
  long remaining(long now) {
    long index = Math.floorDiv(now, slice);
    long estimate = 0;
    for (int age = 0; age < RING; age++) {
      long slot = slot(index - age);
      if (holds(slot, index - age)) {
        estimate +=
            age < SlidingWindowMath.SLICES
                ? count(slot)
                : math.weighted(count(slot), now - index * slice, slice);
      }
    }
    return Math.max(0, limit.limit() - estimate);
  }

  long resetAfterNanos(long now) {
    long index = Math.floorDiv(now, slice);
    return SlidingWindowMath.resetAfter(counts(index), now - index * slice, slice);
  }

  @Override
  boolean isStriped() {
    return stripes != null;
  }

  /**
   * Splits the key into stripes: installs them, freezes every slot (collecting the ring as it
   * stood), then gives each stripe a copy of it.
   */
  @Override
  void split() {
    if (!Stripes.worthSplitting(limit.limit(), stripeCount) || stripes != null) {
      return;
    }
    SlidingWindowStripes candidate = new SlidingWindowStripes(limit, stripeCount);
    if (!STRIPES.compareAndSet(this, null, candidate)) {
      return;
    }
    view = SliceView.CLOSED;
    striped();
  }

  /**
   * Freezes every slot: no compare-and-set of a caller expects a frozen slot, so the ring never
   * changes again. Any number of callers may do it at once: they all see the same ring.
   *
   * @return the ring as it stood
   */
  long[] freeze() {
    long[] frozen = new long[RING];
    for (int i = 0; i < RING; i++) {
      while (true) {
        long slot = (long) SLOTS.getVolatile(slots, first + i);
        if ((slot & FROZEN) != 0) {
          frozen[i] = slot & ~FROZEN;
          break;
        }
        if (SLOTS.compareAndSet(slots, first + i, slot, slot | FROZEN)) {
          frozen[i] = slot;
          break;
        }
      }
    }
    return frozen;
  }

  /** The stripes of a split key, finishing the split first if it is under way. */
  SlidingWindowStripes striped() {
    SlidingWindowStripes split = stripes;
    if (split == null) {
      throw new IllegalStateException("a frozen ring without stripes");
    }
    if (!split.filled()) {
      split.fill(freeze());
    }
    return split;
  }

  /** The counts of slice {@code index} and the ten before it, newest first. */
  private long[] counts(long index) {
    long[] counts = new long[RING];
    for (int age = 0; age < RING; age++) {
      long slot = slot(index - age);
      counts[age] = holds(slot, index - age) ? count(slot) : 0;
    }
    return counts;
  }

  /**
   * Grants the permits or not.
   *
   * @return the time the permits were granted at ({@code now}, or the start of a later slice when
   *     another caller's clock was already there), or {@link #DENIED}
   */
  long take(long now, int permits) {
    // Most decisions: the open slice is now's, and the permits fit even counting the oldest slice
    // whole. One view read, one slot read, one compare-and-set.
    SliceView open = this.view;
    if (now - open.start < slice && now >= open.start) {
      long slot = (long) SLOTS.getVolatile(slots, open.position);
      // Open: the slot holds this slice, not sealed nor frozen.
      if ((slot & ~COUNT_MASK) == open.index << TAG_SHIFT
          && (slot & COUNT_MASK) + permits <= open.ceiling
          && SLOTS.compareAndSet(slots, open.position, slot, slot + permits)) {
        return now;
      }
    }
    return takeInAnySlice(now, permits);
  }

  /** Opens now's slice, or moves to a newer one another caller reached, then decides. */
  private long takeInAnySlice(long now, int permits) {
    while (true) {
      if (stripes != null) {
        return SPLIT;
      }
      SliceView view = this.view;
      long elapsed = now - view.start;
      if (elapsed < 0 || elapsed >= slice) {
        view = openSlice(Math.floorDiv(now, slice));
        if (view == null) {
          now = newestTime(now);
          continue;
        }
        elapsed = now - view.start;
      }
      long slot = slot(view.index);
      if ((slot & FROZEN) != 0) {
        continue;
      }
      long ahead = slot == EMPTY ? -1 : ahead(slot, view.index);
      if (ahead > 0 || (ahead == 0 && (slot & SEALED) != 0)) {
        // Another caller's clock has reached a later slice.
        now = newestTime(now);
        continue;
      }
      long current = ahead == 0 ? count(slot) : 0;
      if (!math.fits(view.full + current, view.oldest, elapsed, slice, permits)) {
        return DENIED;
      }
      if (SLOTS.compareAndSet(
          slots, position(view.index), slot, packed(view.index, current + permits, false))) {
        return now;
      }
      split();
    }
  }

  /**
   * Seals the slices of the window before slice {@code index}, and publishes their counts as the
   * view later callers in this slice decide on (sealed slices no longer change).
   *
   * @return the view, or null when a slot holds a slice newer than {@code index} (this caller's
   *     clock read is behind another's) or the key is splitting
   */
  private @Nullable SliceView openSlice(long index) {
    long full = 0;
    long oldest = 0;
    for (int age = RING - 1; age > 0; age--) {
      long of = index - age;
      long slot = slot(of);
      while (!(holds(slot, of) && (slot & SEALED) != 0)) {
        if (newer(slot, of) || (slot & FROZEN) != 0) {
          return null;
        }
        long sealed = packed(of, holds(slot, of) ? count(slot) : 0, true);
        if (SLOTS.compareAndSet(slots, position(of), slot, sealed)) {
          slot = sealed;
        } else {
          slot = slot(of);
        }
      }
      if (age == RING - 1) {
        oldest = count(slot);
      } else {
        full += count(slot);
      }
    }
    SliceView view =
        new SliceView(
            index, index * slice, full, oldest, limit.limit() - full - oldest, position(index));
    this.view = view;
    return view;
  }

  /**
   * The start of the newest slice another caller's clock has reached, if it is after {@code now}: a
   * written slice was reached, and a sealed one was sealed from a later slice.
   */
  private long newestTime(long now) {
    long index = Math.floorDiv(now, slice);
    long newest = index;
    for (int i = 0; i < RING; i++) {
      long slot = (long) SLOTS.getVolatile(slots, first + i);
      if (slot != EMPTY) {
        long reached = index + ahead(slot, index) + ((slot & SEALED) != 0 ? 1 : 0);
        newest = Math.max(newest, reached);
      }
    }
    return newest == index ? now : newest * slice;
  }

  private long slot(long index) {
    return (long) SLOTS.getVolatile(slots, position(index));
  }

  private int position(long index) {
    return first + (int) Math.floorMod(index, (long) RING);
  }

  private static long packed(long index, long count, boolean sealed) {
    return (index << TAG_SHIFT) | (sealed ? SEALED : 0) | count;
  }

  private static long count(long slot) {
    return slot & COUNT_MASK;
  }

  private static boolean holds(long slot, long index) {
    return slot != EMPTY && ahead(slot, index) == 0;
  }

  private static boolean newer(long slot, long index) {
    return slot != EMPTY && ahead(slot, index) > 0;
  }

  /** How many slices the slot's tag is ahead of {@code index} (negative: behind), mod 2^41. */
  private static long ahead(long slot, long index) {
    return ((slot >> TAG_SHIFT) - index) << TAG_SHIFT >> TAG_SHIFT;
  }
}
