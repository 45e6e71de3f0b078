package dev.keelson.ratelimit.internal;

import dev.keelson.ratelimit.Decision;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** One long, updated by compare-and-set: lock-free, and no allocation on {@link #tryAcquire}. */
final class PackedState extends LocalState {

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(PackedState.class, "state", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final PackedAlgorithm algorithm;
  private volatile long state = PackedAlgorithm.EMPTY;

  PackedState(PackedAlgorithm algorithm) {
    this.algorithm = algorithm;
  }

  @Override
  public boolean tryAcquire(long now, int permits) {
    while (true) {
      long current = state;
      long next = algorithm.take(current, now, permits);
      if (next == current) {
        return false;
      }
      if (STATE.compareAndSet(this, current, next)) {
        return true;
      }
    }
  }

  @Override
  public void refund(long now, int permits) {
    while (true) {
      long current = state;
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
      long next = algorithm.take(current, now, permits);
      if (next == current) {
        return algorithm.decision(false, current, now, permits);
      }
      if (STATE.compareAndSet(this, current, next)) {
        return algorithm.decision(true, next, now, permits);
      }
    }
  }
}
