package dev.keelson.ratelimit.internal;

import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.RateLimit;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * The sliding window counter, in {@link SlidingWindowMath#SLICES} slices per window: the estimate
 * for the window ending now counts the slices inside it fully and the oldest one, partly outside,
 * by the share of it still inside.
 *
 * <p>The counts live in a {@link SliceRing}, a slot per slice. A caller adds only to the slice its
 * clock is in, with one compare-and-set. Before it decides, it seals the earlier slices of its
 * window, so a caller whose clock read is older (a thread that stalled) can no longer add to a
 * slice others have already counted: its compare-and-set fails and it decides again in the newest
 * slice. Lock-free; {@link #tryAcquire} allocates only once per slice, not per decision.
 *
 * <p>When threads collide on the ring (a compare-and-set fails), the key splits into {@link
 * SlidingWindowStripes}, a ring per stripe: the splitting thread installs them, then every slot is
 * frozen (a flag no writer's compare-and-set expects, keeping the slot's value) and each stripe's
 * ring is filled with a copy. A caller that meets the split before it is done does the same work
 * itself (freezing and filling are idempotent), so no caller waits for another.
 */
final class SlidingWindowState extends LocalState {

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

  /** What {@link #take} says once the key has split: the stripes decide. */
  static final long SPLIT = DENIED + 1;

  private final RateLimit limit;
  private final SlidingWindowMath math;
  private final long slice;

  /** The {@link SliceRing}. */
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
    this(limit, stripeCount, SliceRing.whole());
  }

  /**
   * A stripe of a split key: usable once {@link #fill} has given it the key's frozen ring. Its ring
   * is {@linkplain SliceRing#padded padded}, so no stripe's ring shares a cache line with another
   * stripe's.
   */
  static SlidingWindowState stripe(RateLimit limit) {
    return new SlidingWindowState(limit, 1, SliceRing.padded());
  }

  /** Copies the key's frozen ring into this stripe's, unless another caller already has. */
  void fill(long[] frozen) {
    SliceRing.fill(slots, first, frozen);
  }

  private SlidingWindowState(RateLimit limit, int stripeCount, long[] slots) {
    this.limit = limit;
    this.math = new SlidingWindowMath(limit);
    this.slice = limit.period().toNanos() / SlidingWindowMath.SLICES;
    this.slots = slots;
    this.first = SliceRing.first(slots);
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
      if (SliceRing.isFrozen(slot)) {
        return -1;
      }
      if (!SliceRing.holds(slot, index) || SliceRing.isSealed(slot) || SliceRing.count(slot) == 0) {
        // The permits' slice has been counted by later decisions (or emptied), or the grant was
        // moved to a later slice than now's: keep them (the safe side).
        return 0;
      }
      long given = Math.min(permits, SliceRing.count(slot));
      if (SliceRing.compareAndSet(
          slots,
          position(index),
          slot,
          SliceRing.packed(index, SliceRing.count(slot) - given, false))) {
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
    return math.decision(
        grantedAt != DENIED,
        SliceRing.counts(slots, first, index),
        at - index * slice,
        slice,
        permits);
  }

  /** Permits that could be granted at {@code now}: the limit less the estimate. */
  long remaining(long now) {
    long index = Math.floorDiv(now, slice);
    long estimate = 0;
    for (int age = 0; age < SliceRing.LENGTH; age++) {
      long count = SliceRing.countOf(slots, first, index - age);
      estimate +=
          age < SlidingWindowMath.SLICES ? count : math.weighted(count, now - index * slice, slice);
    }
    return Math.max(0, limit.limit() - estimate);
  }

  long resetAfterNanos(long now) {
    long index = Math.floorDiv(now, slice);
    return SlidingWindowMath.resetAfter(
        SliceRing.counts(slots, first, index), now - index * slice, slice);
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
   * Freezes the ring: no caller's compare-and-set expects a frozen slot, so every caller still on
   * the whole key fails its next one and meets the split.
   *
   * @return the ring as it stood
   */
  long[] freeze() {
    return SliceRing.freeze(slots, first);
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
      long slot = SliceRing.get(slots, open.position);
      if (SliceRing.isOpen(slot, open.index)
          && SliceRing.count(slot) + permits <= open.ceiling
          && SliceRing.compareAndSet(slots, open.position, slot, SliceRing.plus(slot, permits))) {
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
      if (SliceRing.isFrozen(slot)) {
        continue;
      }
      long ahead = slot == SliceRing.EMPTY ? -1 : SliceRing.ahead(slot, view.index);
      if (ahead > 0 || (ahead == 0 && SliceRing.isSealed(slot))) {
        // Another caller's clock has reached a later slice.
        now = newestTime(now);
        continue;
      }
      long current = ahead == 0 ? SliceRing.count(slot) : 0;
      if (!math.fits(view.full + current, view.oldest, elapsed, slice, permits)) {
        return DENIED;
      }
      if (SliceRing.compareAndSet(
          slots,
          position(view.index),
          slot,
          SliceRing.packed(view.index, current + permits, false))) {
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
    for (int age = SliceRing.LENGTH - 1; age > 0; age--) {
      long of = index - age;
      long slot = slot(of);
      while (!(SliceRing.holds(slot, of) && SliceRing.isSealed(slot))) {
        if (SliceRing.isNewer(slot, of) || SliceRing.isFrozen(slot)) {
          return null;
        }
        long sealed =
            SliceRing.packed(of, SliceRing.holds(slot, of) ? SliceRing.count(slot) : 0, true);
        if (SliceRing.compareAndSet(slots, position(of), slot, sealed)) {
          slot = sealed;
        } else {
          slot = slot(of);
        }
      }
      if (age == SliceRing.LENGTH - 1) {
        oldest = SliceRing.count(slot);
      } else {
        full += SliceRing.count(slot);
      }
    }
    SliceView view =
        new SliceView(
            index, index * slice, full, oldest, limit.limit() - full - oldest, position(index));
    this.view = view;
    return view;
  }

  /** The start of the newest slice another caller's clock has reached, if it is after now's. */
  private long newestTime(long now) {
    long index = Math.floorDiv(now, slice);
    long newest = SliceRing.newest(slots, first, index);
    return newest == index ? now : newest * slice;
  }

  private long slot(long index) {
    return SliceRing.get(slots, position(index));
  }

  private int position(long index) {
    return SliceRing.position(first, index);
  }
}
