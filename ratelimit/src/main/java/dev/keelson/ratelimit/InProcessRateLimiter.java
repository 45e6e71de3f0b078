package dev.keelson.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keelson.core.Ticker;
import dev.keelson.core.internal.Listeners;
import dev.keelson.ratelimit.internal.Keys;
import dev.keelson.ratelimit.internal.LocalState;
import dev.keelson.ratelimit.internal.Permits;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A rate limit per key, in this JVM: each key's state is a lock-free {@link LocalRateLimiter}-like
 * state in a Caffeine cache, split into stripes once threads contend on it (see the README). A key
 * idle long enough that its state would read as fresh anyway (a full refill, or two windows) is
 * evicted, so memory follows the active keys; {@code maximumKeys} bounds it (default 1,000,000),
 * evicting the least recently used beyond that, which forgets that key's usage (document your key
 * space). Its listener hears every decision, {@code tryAcquire}'s too; without one (the default)
 * reporting costs nothing.
 *
 * <pre>{@code
 * InProcessRateLimiter limiter = InProcessRateLimiter.builder(RateLimit.tokenBucket("tenant", 100, Duration.ofSeconds(1)))
 *     .name("api")
 *     .listener(metrics)
 *     .build();
 * Decision decision = limiter.decide("acme", 1);
 * }</pre>
 */
public final class InProcessRateLimiter implements RateLimiter {

  private final RateLimit limit;
  private final String name;
  private final Ticker ticker;
  private final RateLimitListener listener;
  private final Cache<String, LocalState> states;
  private final Function<String, LocalState> newState;

  private InProcessRateLimiter(Builder builder) {
    this.limit = builder.limit;
    this.name = builder.effectiveName();
    this.ticker = builder.ticker;
    this.listener = builder.listener;
    this.states =
        Caffeine.newBuilder()
            .maximumSize(builder.maximumKeys)
            .expireAfterAccess(idleAfter(limit))
            .ticker(ticker::nanoTime)
            .build();
    this.newState = key -> LocalState.of(limit);
  }

  /**
   * @param limit the rule, for every key
   * @return a builder
   */
  public static Builder builder(RateLimit limit) {
    return new Builder(limit);
  }

  /**
   * @param limit the rule, for every key
   * @return a limiter with the defaults: the system ticker, at most 1,000,000 keys, no listener
   */
  public static InProcessRateLimiter of(RateLimit limit) {
    return builder(limit).build();
  }

  @Override
  public boolean tryAcquire(String key, int permits) {
    if (listener != RateLimitListener.NONE) {
      return decide(key, permits).allowed(); // the listener hears a decision, so make one
    }
    Permits.check(limit, permits);
    return state(key).tryAcquire(ticker.nanoTime(), permits);
  }

  @Override
  public Decision decide(String key, int permits) {
    Decision decision = decideAt(key, permits, ticker.nanoTime());
    if (listener != RateLimitListener.NONE) {
      Listeners.notify(
          listener,
          "onDecision",
          l -> l.onDecision(name, key, decision, DecisionSource.IN_PROCESS));
    }
    return decision;
  }

  /**
   * A decision at a time the caller read (a hierarchy decides every level at one time), not
   * reported: the hierarchy reports its own.
   */
  Decision decideAt(String key, int permits, long now) {
    Permits.check(limit, permits);
    return state(key).decide(now, permits);
  }

  @Override
  public CompletionStage<Decision> decideAsync(String key, int permits) {
    return CompletableFuture.completedFuture(decide(key, permits));
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

  /**
   * Gives back permits this key was granted at {@code grantedAt} (for a hierarchy whose inner level
   * denied). At the grant's time, not the refund's: a window that has moved on since must not lose
   * permits other callers took in it.
   */
  void refund(String key, int permits, long grantedAt) {
    LocalState state = states.getIfPresent(key);
    if (state != null) {
      state.refund(grantedAt, permits);
    }
  }

  /**
   * @return keys currently held, after evicting the idle ones
   */
  public long keys() {
    states.cleanUp();
    return states.estimatedSize();
  }

  private LocalState state(String key) {
    LocalState state = states.getIfPresent(Keys.check("key", key));
    return state != null ? state : states.get(key, newState);
  }

  /** After this long without use, a key's state is the same as a new one's. */
  private static Duration idleAfter(RateLimit limit) {
    return limit.algorithm() == Algorithm.TOKEN_BUCKET
        ? limit.period()
        : limit.period().multipliedBy(2);
  }

  @Override
  public String toString() {
    return "InProcessRateLimiter[" + name + ": " + limit + ", keys=" + keys() + "]";
  }

  /** Settings of an {@link InProcessRateLimiter}; each has a default. */
  public static final class Builder extends LocalLimiterBuilder.Keyed<Builder> {
    private final RateLimit limit;

    private Builder(RateLimit limit) {
      super(Objects.requireNonNull(limit, "limit"));
      this.limit = limit;
    }

    /**
     * @return the limiter, one state per key
     */
    public InProcessRateLimiter build() {
      return new InProcessRateLimiter(this);
    }
  }
}
