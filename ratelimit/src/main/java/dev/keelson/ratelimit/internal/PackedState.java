package dev.keelson.ratelimit.internal;

import dev.keelson.ratelimit.Decision;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.jspecify.annotations.Nullable;

/**
 * One long, updated by compare-and-set: lock-free, and no allocation on {@link #tryAcquire}.
 *
 * <p>When threads collide on it (a compare-and-set fails because another thread changed the state
 * in between), the key is split into {@link Stripes} for good, one per core up to 64, as {@link
 * java.util.concurrent.atomic.LongAdder} does: each thread then works on a cache line of its own. A
 * key only one thread at a time uses never splits.
 */
final class PackedState extends LocalState {

  /**
   * The state once the key has split: the stripes hold it from then on. No algorithm makes it: a
   * fixed window's count field full of ones is past any limit, and as a token bucket's time it is
   * as far off as {@link PackedAlgorithm#EMPTY}.
   */
  private static final long STRIPED = PackedAlgorithm.EMPTY | FixedWindow.COUNT_MASK;

  private static final int SPLIT_ATTEMPTS = 8;

  private static final VarHandle STATE;
  private static final VarHandle STRIPES;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(PackedState.class, "state", long.class);
      STRIPES = lookup.findVarHandle(PackedState.class, "stripes", Stripes.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final PackedAlgorithm algorithm;
  private final int stripeCount;
  private volatile long state = PackedAlgorithm.EMPTY;

  /** Set before the state reads {@link #STRIPED}, and never cleared after. */
  private volatile @Nullable Stripes stripes;

  PackedState(PackedAlgorithm algorithm) {
    this(algorithm, Stripes.PER_KEY);
  }

  /** With {@code stripeCount} stripes once contended; 1 never splits. */
  PackedState(PackedAlgorithm algorithm, int stripeCount) {
    this.algorithm = algorithm;
    this.stripeCount = stripeCount;
  }

  @Override
  public boolean tryAcquire(long now, int permits) {
    while (true) {
      long current = state;
      if (current == STRIPED) {
        Stripes split = striped();
        return split.tryAcquire(now, permits, split.home());
      }
      long next = algorithm.take(current, now, permits);
      if (next == current) {
        return false;
      }
      if (STATE.compareAndSet(this, current, next)) {
        return true;
      }
      split();
    }
  }

  @Override
  public void refund(long now, int permits) {
    while (true) {
      long current = state;
      if (current == STRIPED) {
        Stripes split = striped();
        split.refund(now, permits, split.home());
        return;
      }
      long next = algorithm.refund(current, now, permits);
      if (next == current || STATE.compareAndSet(this, current, next)) {
        return;
      }
    }
  }

  @Override
  public Decision decide(long now, int permits) {
    while (true) {
      long current = state;
      if (current == STRIPED) {
        Stripes split = striped();
        return split.decide(now, permits, split.home());
      }
      long next = algorithm.take(current, now, permits);
      if (next == current) {
        return algorithm.decision(false, current, now, permits);
      }
      if (STATE.compareAndSet(this, current, next)) {
        return algorithm.decision(true, next, now, permits);
      }
      split();
    }
  }

  @Override
  boolean isStriped() {
    return state == STRIPED;
  }

  /**
   * Splits the key into stripes, starting from its current state. The thread that installs its
   * stripes swaps the state for {@link #STRIPED}, filling its stripes again from the state each
   * time another thread moved the state first; the others decide on the whole key meanwhile. After
   * a few misses it gives up (its call must end), and a later collision tries again.
   */
  @Override
  void split() {
    if (!Stripes.worthSplitting(algorithm.limit().limit(), stripeCount) || stripes != null) {
      return;
    }
    PackedStripes candidate = new PackedStripes(algorithm, stripeCount);
    if (!STRIPES.compareAndSet(this, null, candidate)) {
      return;
    }
    for (int attempt = 0; attempt < SPLIT_ATTEMPTS; attempt++) {
      long current = state;
      candidate.fill(current);
      if (STATE.compareAndSet(this, current, STRIPED)) {
        return;
      }
    }
    stripes = null;
  }

  private Stripes striped() {
    Stripes split = stripes;
    if (split == null) {
      throw new IllegalStateException("striped state without stripes");
    }
    return split;
  }
}
