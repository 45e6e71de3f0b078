package dev.keelson.ratelimit.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keelson.core.Ticker;
import dev.keelson.core.internal.FutureTimeouts;
import dev.keelson.core.internal.Listeners;
import dev.keelson.core.internal.redis.RedisScriptRunner;
import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.DecisionSource;
import dev.keelson.ratelimit.InProcessRateLimiter;
import dev.keelson.ratelimit.RateLimit;
import dev.keelson.ratelimit.RateLimitListener;
import dev.keelson.ratelimit.RateLimiter;
import dev.keelson.ratelimit.internal.BackendGuard;
import dev.keelson.ratelimit.internal.Permits;
import io.lettuce.core.api.StatefulConnection;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * A rate limit per key on Redis: each decision is one {@code EVALSHA} of the algorithm's script,
 * timed by the server's clock ({@code TIME}), so every JVM shares one count. Works on a standalone
 * connection and on a Cluster connection (each key carries its own hash tag).
 *
 * <p>Keys: {@code <prefix>rl:<rule name>:{<key>}}, each with a TTL: a key vanishes once its state
 * would read as new (a full bucket, or two windows). Redis keeps time in microseconds, so a token
 * bucket's refill interval must be at least 1 µs.
 *
 * <p>When Redis fails (no answer within the timeout, connection lost), the {@link
 * dev.keelson.ratelimit.FailurePolicy} decides, and answers every request Redis would: under a
 * local fallback, a request for more permits than this JVM's share is denied until the breaker's
 * next probe. A breaker stops calling a dead Redis after a few failures in a row, probes it once
 * per interval, and goes back to it only after a stable period of successful probes. A denial is
 * remembered in this JVM until its retry-after, so an abusive client costs no round trip (the local
 * deny cache; on by default). In shadow mode nothing is ever denied, but every real decision
 * reaches the {@link RateLimitListener}, and a denial let through is told as such ({@link
 * RateLimitListener#onShadowAllowed}). Its listener hears who decided ({@link
 * dev.keelson.ratelimit.DecisionSource}) and how long each answer from Redis took.
 *
 * <pre>{@code
 * RedisRateLimiter limiter = RedisRateLimiter.on(connection, RateLimit.tokenBucket("tenant", 100, Duration.ofSeconds(1)));
 * Decision decision = limiter.decide("acme", 1);
 * }</pre>
 */
public final class RedisRateLimiter implements RateLimiter {

  /** Keys the fallback limiter and the deny cache hold at most. */
  private static final long LOCAL_KEYS = 100_000;

  private final RateLimit limit;
  private final String name;
  private final RedisScriptRunner runner;
  private final dev.keelson.core.internal.redis.RedisScript<List<Object>> script;
  private final String keyPrefix;
  private final long periodMicros;
  private final Duration timeout;
  private final FutureTimeouts timeouts;
  private final FailureAnswers failureAnswers;
  private final InProcessRateLimiter fallback;
  private final BackendGuard guard;
  private final @Nullable Cache<String, long[]> denyCache;
  private final boolean shadow;
  private final RateLimitListener listener;
  private final Ticker ticker;

  private RedisRateLimiter(Builder builder) {
    this.limit = builder.limit;
    this.name = builder.effectiveName(limit);
    this.runner = RedisScriptRunner.on(builder.connection);
    this.timeout = builder.timeout;
    this.timeouts = FutureTimeouts.of(timeout);
    this.failureAnswers =
        new FailureAnswers(builder.failurePolicy, builder.probeIntervalNanos(), limit, limit);
    this.ticker = builder.ticker;
    this.fallback =
        InProcessRateLimiter.builder(builder.failurePolicy.localLimit(limit))
            .ticker(builder.ticker)
            .maximumKeys(LOCAL_KEYS)
            .build();
    this.guard = builder.guard(name);
    this.denyCache =
        builder.denyCache
            ? Caffeine.newBuilder()
                .maximumSize(LOCAL_KEYS)
                .expireAfterWrite(limit.period())
                .ticker(builder.ticker::nanoTime)
                .build()
            : null;
    this.shadow = builder.shadow;
    this.listener = builder.listener;
    this.script = Scripts.decide(limit.algorithm());
    this.keyPrefix = builder.keyPrefix;
    this.periodMicros = Scripts.periodMicros(limit);
  }

  /**
   * @param connection a standalone or Cluster connection, any codec; the caller owns it
   * @param limit the rule, for every key
   * @return a builder
   */
  public static Builder builder(StatefulConnection<?, ?> connection, RateLimit limit) {
    return new Builder(connection, limit);
  }

  /**
   * @param connection a standalone or Cluster connection, any codec; the caller owns it
   * @param limit the rule, for every key
   * @return a limiter with every default (see {@link Builder})
   */
  public static RedisRateLimiter on(StatefulConnection<?, ?> connection, RateLimit limit) {
    return builder(connection, limit).build();
  }

  @Override
  public Decision decide(String key, int permits) {
    Permits.check(limit, permits);
    List<String> keys = keys(key);
    long now = ticker.nanoTime();
    Decision cached = deniedLocally(key, permits, now);
    if (cached != null) {
      return report(key, cached, DecisionSource.DENY_CACHE);
    }
    if (!guard.allowsCall()) {
      return report(key, fallback(key, permits), DecisionSource.FALLBACK);
    }
    Decision decision;
    try {
      decision = decision(runner.run(script, timeout, keys, permits, limit.limit(), periodMicros));
    } catch (RuntimeException e) {
      return report(key, failed(key, permits, e), DecisionSource.FALLBACK);
    }
    succeeded(key, permits, decision, now);
    return report(key, decision, DecisionSource.BACKEND);
  }

  @Override
  public CompletionStage<Decision> decideAsync(String key, int permits) {
    Permits.check(limit, permits);
    List<String> keys = keys(key);
    long now = ticker.nanoTime();
    Decision cached = deniedLocally(key, permits, now);
    if (cached != null) {
      return CompletableFuture.completedFuture(report(key, cached, DecisionSource.DENY_CACHE));
    }
    if (!guard.allowsCall()) {
      return CompletableFuture.completedFuture(
          report(key, fallback(key, permits), DecisionSource.FALLBACK));
    }
    return timeouts
        .watch(
            runner
                .runAsync(script, keys, permits, limit.limit(), periodMicros)
                .toCompletableFuture())
        .handle(
            (reply, error) -> {
              if (error != null) {
                return report(key, failed(key, permits, error), DecisionSource.FALLBACK);
              }
              Decision decision = decision(reply);
              succeeded(key, permits, decision, now);
              return report(key, decision, DecisionSource.BACKEND);
            });
  }

  /** A denial this JVM already knows about: no round trip until its retry-after has passed. */
  private @Nullable Decision deniedLocally(String key, int permits, long now) {
    if (denyCache == null) {
      return null;
    }
    long[] denial = denyCache.getIfPresent(key);
    if (denial == null || permits < denial[1] || now - denial[0] >= 0) {
      return null;
    }
    return Decision.deny(0, limit.limit(), denial[0] - now, denial[0] - now, limit.name());
  }

  /** Redis decided, in a call started at {@code started}. */
  private void succeeded(String key, int permits, Decision decision, long started) {
    guard.answered(started);
    guard.succeeded();
    if (denyCache != null && !decision.allowed()) {
      denyCache.put(key, new long[] {ticker.nanoTime() + decision.retryAfterNanos(), permits});
    }
  }

  private Decision failed(String key, int permits, Throwable error) {
    guard.failed(error);
    return fallback(key, permits);
  }

  private Decision fallback(String key, int permits) {
    return failureAnswers.answer(permits, () -> fallback.decide(key, permits));
  }

  /** Tells the listener; in shadow mode, turns a denial into an allow after telling it. */
  private Decision report(String key, Decision decision, DecisionSource source) {
    if (listener != RateLimitListener.NONE) {
      Listeners.notify(listener, "onDecision", l -> l.onDecision(name, key, decision, source));
      if (shadow && !decision.allowed()) {
        Listeners.notify(listener, "onShadowAllowed", l -> l.onShadowAllowed(name, key, decision));
      }
    }
    return shadow ? decision.asAllowed() : decision;
  }

  /**
   * @param key a rate-limited key
   * @return the Redis key its state lives under
   */
  public String redisKey(String key) {
    return Scripts.redisKey(keyPrefix, limit, key);
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

  private List<String> keys(String key) {
    return List.of(redisKey(key));
  }

  private Decision decision(List<Object> reply) {
    return Scripts.decision(reply, limit);
  }

  @Override
  public String toString() {
    return "RedisRateLimiter["
        + name
        + ": "
        + limit
        + ", keys "
        + keyPrefix
        + "rl:"
        + limit.name()
        + ":{<key>}]";
  }

  /** Settings of a {@link RedisRateLimiter}; those of every Redis limiter are inherited. */
  public static final class Builder extends RemoteLimiterBuilder<Builder> {
    private final RateLimit limit;
    private boolean denyCache = true;
    private boolean shadow;

    private Builder(StatefulConnection<?, ?> connection, RateLimit limit) {
      super(connection);
      this.limit = Objects.requireNonNull(limit, "limit");
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Turns off the local deny cache (on by default): without it every request for a key that Redis
     * just denied costs a round trip again.
     *
     * @return this builder
     */
    public Builder withoutDenyCache() {
      this.denyCache = false;
      return this;
    }

    /**
     * Shadow mode: decisions are made and reported to the listener, but never deny: the listener
     * hears each denial ({@code onDecision}), then that it was let through ({@code
     * onShadowAllowed}).
     *
     * @param shadow whether to run in shadow mode (default false)
     * @return this builder
     */
    public Builder shadow(boolean shadow) {
      this.shadow = shadow;
      return this;
    }

    public RedisRateLimiter build() {
      return new RedisRateLimiter(this);
    }
  }
}
