package dev.keelson.ratelimit.redis;

import dev.keelson.core.Ticker;
import dev.keelson.core.internal.Checks;
import dev.keelson.core.internal.Names;
import dev.keelson.core.internal.redis.KeyPrefix;
import dev.keelson.ratelimit.FailurePolicy;
import dev.keelson.ratelimit.RateLimit;
import dev.keelson.ratelimit.RateLimitListener;
import dev.keelson.ratelimit.internal.BackendGuard;
import dev.keelson.ratelimit.internal.Breaker;
import io.lettuce.core.api.StatefulConnection;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings every Redis limiter shares: where its keys go, how long it waits for Redis, and what
 * decides while Redis cannot. Every value has a default and is checked when set.
 *
 * @param <B> the concrete builder
 */
public abstract class RemoteLimiterBuilder<B extends RemoteLimiterBuilder<B>> {

  final StatefulConnection<?, ?> connection;
  private @Nullable String name;
  String keyPrefix = KeyPrefix.DEFAULT;
  Duration timeout = Duration.ofMillis(100);
  FailurePolicy failurePolicy = FailurePolicy.fallback(1.0);
  RateLimitListener listener = RateLimitListener.NONE;
  Ticker ticker = Ticker.system();
  private int failuresToOpen = 3;
  private Duration probeInterval = Duration.ofSeconds(1);
  private Duration stablePeriod = Duration.ofSeconds(10);

  RemoteLimiterBuilder(StatefulConnection<?, ?> connection) {
    this.connection = Objects.requireNonNull(connection, "connection");
  }

  abstract B self();

  /**
   * @param name the name the listener's events and the log carry: 1 to 64 characters (default: the
   *     name of the rule, or of a hierarchy's innermost level)
   * @return this builder
   */
  public B name(String name) {
    this.name = Names.check(name);
    return self();
  }

  /**
   * @param keyPrefix put before every key: up to 64 letters, digits, '_', '.', ':' or '-' (default
   *     {@code keelson:})
   * @return this builder
   */
  public B keyPrefix(String keyPrefix) {
    this.keyPrefix = Scripts.checkPrefix(Objects.requireNonNull(keyPrefix, "keyPrefix"));
    return self();
  }

  /**
   * @param timeout the longest one round trip to Redis may take before the failure policy decides,
   *     1 ms to 1 minute (default 100 ms)
   * @return this builder
   */
  public B timeout(Duration timeout) {
    this.timeout = Checks.between("timeout", timeout, Duration.ofMillis(1), Duration.ofMinutes(1));
    return self();
  }

  /**
   * @param failurePolicy what decides while Redis cannot (default {@code fallback(1.0)})
   * @return this builder
   */
  public B failurePolicy(FailurePolicy failurePolicy) {
    this.failurePolicy = Objects.requireNonNull(failurePolicy, "failurePolicy");
    return self();
  }

  /**
   * The breaker that stops calling a dead Redis on every request.
   *
   * @param failuresToOpen failed calls in a row that open it, 1 to 1000 (default 3)
   * @param probeInterval how often a probe call tries Redis while open, 10 ms to 10 minutes
   *     (default 1 s)
   * @param stablePeriod how long probes must succeed before it closes, 0 to 1 hour (default 10 s)
   * @return this builder
   */
  public B breaker(int failuresToOpen, Duration probeInterval, Duration stablePeriod) {
    this.failuresToOpen = Checks.between("failuresToOpen", failuresToOpen, 1, 1000);
    this.probeInterval =
        Checks.between(
            "probeInterval", probeInterval, Duration.ofMillis(10), Duration.ofMinutes(10));
    this.stablePeriod =
        Checks.between("stablePeriod", stablePeriod, Duration.ZERO, Duration.ofHours(1));
    return self();
  }

  /**
   * @param listener hears decisions, Redis errors and fallback changes
   * @return this builder
   */
  public B listener(RateLimitListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return self();
  }

  /**
   * @param ticker the local clock for the breaker, the deny cache and the fallback (decisions on
   *     Redis use Redis's clock)
   * @return this builder
   */
  public B ticker(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    return self();
  }

  /** The name set, or the naming rule's: the limiter's, or a hierarchy's innermost level. */
  String effectiveName(RateLimit namingRule) {
    return name != null ? name : namingRule.name();
  }

  /** The breaker and its events, for the limiter of this name being built. */
  BackendGuard guard(String name) {
    return new BackendGuard(
        name,
        new Breaker(failuresToOpen, probeInterval.toNanos(), stablePeriod.toNanos()),
        ticker,
        listener);
  }

  long probeIntervalNanos() {
    return probeInterval.toNanos();
  }
}
