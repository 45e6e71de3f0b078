package dev.keelson.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keelson.core.Ticker;
import dev.keelson.core.internal.Checks;
import dev.keelson.ratelimit.internal.LocalState;
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
 * space).
 */
public final class InProcessRateLimiter implements RateLimiter {

  private final RateLimit limit;
  private final Ticker ticker;
  private final Cache<String, LocalState> states;
  private final Function<String, LocalState> newState;

  private InProcessRateLimiter(RateLimit limit, Ticker ticker, long maximumKeys) {
    this.limit = Objects.requireNonNull(limit, "limit");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    Checks.atLeast("maximumKeys", maximumKeys, 1);
    this.states =
        Caffeine.newBuilder()
            .maximumSize(maximumKeys)
            .expireAfterAccess(idleAfter(limit))
            .ticker(ticker::nanoTime)
            .build();
    this.newState = key -> LocalState.of(limit);
  }

  public static InProcessRateLimiter of(RateLimit limit) {
    return new InProcessRateLimiter(limit, Ticker.system(), 1_000_000);
  }

  /**
   * @param limit the rule, for every key
   * @param ticker the time source
   * @param maximumKeys keys kept at most
   * @return the limiter
   */
  public static InProcessRateLimiter of(RateLimit limit, Ticker ticker, long maximumKeys) {
    return new InProcessRateLimiter(limit, ticker, maximumKeys);
  }

  @Override
  public boolean tryAcquire(String key, int permits) {
    limit.checkPermits(permits);
    return state(key).tryAcquire(ticker.nanoTime(), permits);
  }

  @Override
  public Decision decide(String key, int permits) {
    return decideAt(key, permits, ticker.nanoTime());
  }

  /** A decision at a time the caller read (a hierarchy decides every level at one time). */
  Decision decideAt(String key, int permits, long now) {
    limit.checkPermits(permits);
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
    LocalState state = states.getIfPresent(RateLimiter.checkKey(key));
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
    return "InProcessRateLimiter[" + limit + ", keys=" + keys() + "]";
  }
}
