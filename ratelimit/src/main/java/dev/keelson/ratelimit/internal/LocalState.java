package dev.keelson.ratelimit.internal;

import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.RateLimit;

/** The in-process state of one key under one rule. Thread-safe. */
public abstract class LocalState {

  /** Grants the permits or not; allocates nothing. */
  public abstract boolean tryAcquire(long now, int permits);

  /** Gives back permits granted earlier in the current window (or refill period). */
  public abstract void refund(long now, int permits);

  /** Grants the permits or not, and says what is left. */
  public abstract Decision decide(long now, int permits);

  /** Splits a contended key into stripes, if its algorithm can and its limit is large enough. */
  void split() {}

  /** Whether the key has split into stripes. */
  boolean isStriped() {
    return false;
  }

  public static LocalState of(RateLimit limit) {
    switch (limit.algorithm()) {
      case SLIDING_LOG:
        return new SlidingLogState(limit);
      case SLIDING_WINDOW:
        return new SlidingWindowState(limit);
      default:
        return new PackedState(PackedAlgorithm.of(limit));
    }
  }
}
