package dev.keelson.ratelimit.internal;

import dev.keelson.ratelimit.RateLimit;

/**
 * A token bucket as GCRA: the state is the theoretical arrival time (TAT) of the next permit if the
 * bucket were drained at the refill rate. Granting {@code n} permits moves it {@code n} intervals
 * on; a request is granted when the TAT stays within the burst tolerance (capacity × interval) of
 * now. The interval is the period / capacity rounded up to a whole nanosecond (as {@code
 * token_bucket.lua} does on Redis), so the rate is never above the limit: at most one nanosecond
 * per permit below it.
 */
final class TokenBucket implements PackedAlgorithm {

  private final RateLimit limit;
  private final long interval;
  private final long tolerance;

  TokenBucket(RateLimit limit) {
    this.limit = limit;
    // Rounded down, 600 million a second would admit a billion (an interval of 1 ns for 1.67).
    this.interval = -Math.floorDiv(-limit.period().toNanos(), limit.limit()); // rounded up
    this.tolerance = interval * limit.limit();
  }

  @Override
  public long take(long state, long now, long units) {
    long next = Math.max(state, now) + units * interval;
    return next - now <= tolerance ? next : state;
  }

  @Override
  public long refund(long state, long now, long units) {
    return state == EMPTY ? state : Math.max(now, state - units * interval);
  }

  @Override
  public long remaining(long state, long now) {
    return (tolerance - (Math.max(state, now) - now)) / interval;
  }

  @Override
  public long resetAfterNanos(long state, long now) {
    return Math.max(state, now) - now;
  }

  @Override
  public long retryAfterNanos(long state, long now, int permits) {
    return Math.max(state, now) + permits * interval - tolerance - now;
  }

  @Override
  public RateLimit limit() {
    return limit;
  }
}
