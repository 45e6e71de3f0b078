package dev.keelson.ratelimit;

import dev.keelson.core.Ticker;
import dev.keelson.core.internal.Listeners;
import dev.keelson.ratelimit.internal.LocalState;
import dev.keelson.ratelimit.internal.Permits;
import java.util.Objects;

/**
 * One rate limit for one thing (a whole service, one downstream), in-process: lock-free (one
 * compare-and-set on one {@code long}) and allocation-free for {@link #tryAcquire} without a
 * listener. For many keys use {@link InProcessRateLimiter}. Its listener hears every decision, with
 * the rule's name as the key.
 *
 * <pre>{@code
 * LocalRateLimiter limiter = LocalRateLimiter.of(RateLimit.tokenBucket("db", 500, Duration.ofSeconds(1)));
 * if (!limiter.tryAcquire(1)) { throw new Overloaded(); }
 * }</pre>
 */
public final class LocalRateLimiter {

  private final RateLimit limit;
  private final String name;
  private final long maxPermits;
  private final Ticker ticker;
  private final RateLimitListener listener;
  // The state itself without a listener, else one that tells it each decision: the JIT tests the
  // state's class on this call anyway, so the listener costs the hot path no test of its own (a
  // listener check before it cost the fixed window 4 %, JMH on JDK 17 and 25). The call sees one
  // class per algorithm in use, and Reported if some limiter has a listener; past two, the JIT
  // makes it a virtual call (about a nanosecond) for every limiter in the JVM.
  private final LocalState state;

  private LocalRateLimiter(Builder builder) {
    this.limit = builder.limit;
    this.name = builder.effectiveName();
    this.ticker = builder.ticker;
    this.listener = builder.listener;
    this.maxPermits = limit.limit();
    LocalState counted = LocalState.of(limit);
    this.state = listener == RateLimitListener.NONE ? counted : new Reported(counted);
  }

  /**
   * @param limit the rule
   * @return a builder
   */
  public static Builder builder(RateLimit limit) {
    return new Builder(limit);
  }

  /**
   * @param limit the rule
   * @return a limiter with the defaults: the system ticker, no listener
   */
  public static LocalRateLimiter of(RateLimit limit) {
    return builder(limit).build();
  }

  /**
   * Takes permits if the limit allows; allocates nothing unless a listener must hear the decision.
   *
   * @param permits the cost, 1 to the limit
   * @return whether they were granted
   */
  public boolean tryAcquire(int permits) {
    if (permits < 1 || permits > maxPermits) {
      Permits.check(limit, permits);
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
    Permits.check(limit, permits);
    return state.decide(ticker.nanoTime(), permits);
  }

  public RateLimit limit() {
    return limit;
  }

  /**
   * @return the name its listener events carry
   */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "LocalRateLimiter[" + name + ": " + limit + "]";
  }

  /** A state that tells the listener each decision it makes. */
  private final class Reported extends LocalState {
    private final LocalState counted;

    Reported(LocalState counted) {
      this.counted = counted;
    }

    @Override
    public boolean tryAcquire(long now, int permits) {
      return decide(now, permits).allowed();
    }

    @Override
    public Decision decide(long now, int permits) {
      Decision decision = counted.decide(now, permits);
      Listeners.notify(
          listener,
          "onDecision",
          l -> l.onDecision(name, limit.name(), decision, DecisionSource.IN_PROCESS));
      return decision;
    }

    @Override
    public void refund(long now, int permits) {
      counted.refund(now, permits);
    }
  }

  /** Settings of a {@link LocalRateLimiter}; each has a default. */
  public static final class Builder extends LocalLimiterBuilder<Builder> {
    private final RateLimit limit;

    private Builder(RateLimit limit) {
      super(Objects.requireNonNull(limit, "limit"));
      this.limit = limit;
    }

    /**
     * @return the limiter of one state
     */
    public LocalRateLimiter build() {
      return new LocalRateLimiter(this);
    }
  }
}
