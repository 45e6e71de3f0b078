package dev.keelson.ratelimit;

import dev.keelson.core.Ticker;
import dev.keelson.ratelimit.internal.LocalState;
import java.util.Objects;

/**
 * One rate limit for one thing (a whole service, one downstream), in-process: lock-free (one
 * compare-and-set on one {@code long}) and allocation-free for {@link #tryAcquire}. For many keys
 * use {@link InProcessRateLimiter}.
 *
 * <pre>{@code
 * LocalRateLimiter limiter = LocalRateLimiter.of(RateLimit.tokenBucket("db", 500, Duration.ofSeconds(1)));
 * if (!limiter.tryAcquire(1)) { throw new Overloaded(); }
 * }</pre>
 */
public final class LocalRateLimiter {

  private final RateLimit limit;
  private final long maxPermits;
  private final Ticker ticker;
  private final LocalState state;

  private LocalRateLimiter(RateLimit limit, Ticker ticker) {
    this.limit = Objects.requireNonNull(limit, "limit");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.maxPermits = limit.limit();
    this.state = LocalState.of(limit);
  }

  public static LocalRateLimiter of(RateLimit limit) {
    return new LocalRateLimiter(limit, Ticker.system());
  }

  /**
   * @param limit the rule
   * @param ticker the time source (tests pass a manual one)
   * @return the limiter
   */
  public static LocalRateLimiter of(RateLimit limit, Ticker ticker) {
    return new LocalRateLimiter(limit, ticker);
  }

  /**
   * Takes permits if the limit allows; allocates nothing.
   *
   * @param permits the cost, 1 to the limit
   * @return whether they were granted
   */
  public boolean tryAcquire(int permits) {
    if (permits < 1 || permits > maxPermits) {
      limit.checkPermits(permits);
    }
    return state.tryAcquire(ticker.nanoTime(), permits);
  }

  /**
   * Takes permits if the limit allows, and says what is left.
   *
   * @param permits the cost, 1 to the limit
   * @return the decision
   */
  public Decision decide(int permits) {
    limit.checkPermits(permits);
    return state.decide(ticker.nanoTime(), permits);
  }

  public RateLimit limit() {
    return limit;
  }

  @Override
  public String toString() {
    return "LocalRateLimiter[" + limit + "]";
  }
}
