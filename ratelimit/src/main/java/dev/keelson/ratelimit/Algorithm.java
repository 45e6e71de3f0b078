package dev.keelson.ratelimit;

/** How a {@link RateLimit} counts. */
public enum Algorithm {
  /**
   * A bucket of {@code limit} permits refilled continuously, {@code limit} per period: bursts up to
   * the limit, then the steady rate. Kept as one timestamp (GCRA, as redis-cell does): the cheapest
   * state and exact.
   */
  TOKEN_BUCKET(Long.MAX_VALUE / 4),
  /**
   * At most {@code limit} permits in any window, estimated from counts of ten slices of the window:
   * the slices inside the sliding window count whole, the oldest one by the share of it still
   * inside (Cloudflare's counter, with slices instead of two whole windows). Eleven counters;
   * within about 1% of the exact log (see the README).
   */
  SLIDING_WINDOW(1 << 20),
  /**
   * At most {@code limit} permits in any window, exactly: one timestamp per permit. Small limits.
   */
  SLIDING_LOG(10_000),
  /**
   * At most {@code limit} permits per calendar-aligned window. One counter; allows up to twice the
   * limit across a window edge.
   */
  FIXED_WINDOW(1 << 24);

  private final long maxLimit;

  Algorithm(long maxLimit) {
    this.maxLimit = maxLimit;
  }

  /**
   * @return the largest limit this algorithm's state can hold
   */
  public long maxLimit() {
    return maxLimit;
  }
}
