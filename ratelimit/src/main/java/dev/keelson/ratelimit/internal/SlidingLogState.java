package dev.keelson.ratelimit.internal;

import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.RateLimit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The exact sliding window: the times of the last {@code limit} granted permits in a ring. A
 * request for {@code n} permits is granted when the {@code n}-th oldest of them has left the
 * window. Several timestamps change together, so a short lock guards them (no I/O under it).
 */
final class SlidingLogState extends LocalState {

  private final RateLimit limit;
  private final long window;
  private final long[] times;
  private final ReentrantLock lock = new ReentrantLock();
  private int oldest;
  private int size;

  SlidingLogState(RateLimit limit) {
    this.limit = limit;
    this.window = limit.period().toNanos();
    this.times = new long[(int) limit.limit()];
  }

  @Override
  public boolean tryAcquire(long now, int permits) {
    lock.lock();
    try {
      expire(now);
      if (size + permits > times.length) {
        return false;
      }
      for (int i = 0; i < permits; i++) {
        times[(oldest + size) % times.length] = now;
        size++;
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void refund(long now, int permits) {
    lock.lock();
    try {
      expire(now);
      // The newest entries are the ones just granted.
      size = Math.max(0, size - permits);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Decision decide(long now, int permits) {
    lock.lock();
    try {
      boolean allowed = tryAcquire(now, permits);
      long remaining = times.length - size;
      long resetAfter = size == 0 ? 0 : newest() + window - now;
      // The request fits once the permits that must leave first have all left.
      long mustLeave = size + permits - times.length;
      long retryAfter =
          allowed || mustLeave <= 0
              ? 0
              : times[(oldest + (int) mustLeave - 1) % times.length] + window - now;
      return Decision.of(allowed, remaining, limit.limit(), resetAfter, retryAfter, limit.name());
    } finally {
      lock.unlock();
    }
  }

  private void expire(long now) {
    while (size > 0 && now - times[oldest] >= window) {
      oldest = (oldest + 1) % times.length;
      size--;
    }
  }

  private long newest() {
    return times[(oldest + size - 1) % times.length];
  }
}
