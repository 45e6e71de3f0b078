package dev.keelson.ratelimit;

import dev.keelson.core.Ticker;
import dev.keelson.core.internal.Listeners;
import dev.keelson.ratelimit.internal.HierarchyRequests;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Layered limits in this JVM, such as global, then tenant, then endpoint: a request is granted only
 * if every level grants it. Levels are taken outermost first; when one denies, the levels already
 * taken get their permits back, so no level keeps permits for a denied request. (A concurrent
 * request may meanwhile see a level fuller than it ends up, never emptier.) Also the fallback of
 * {@code RedisRateLimitHierarchy} while Redis is down. Its listener hears every decision, with the
 * key of the level that decided, as a {@code RedisRateLimitHierarchy}'s does.
 *
 * <pre>{@code
 * InProcessRateLimitHierarchy limits = InProcessRateLimitHierarchy.of(List.of(
 *     RateLimit.tokenBucket("global", 10_000, Duration.ofSeconds(1)),
 *     RateLimit.tokenBucket("tenant", 100, Duration.ofSeconds(1))));
 * Decision decision = limits.decide(1, "all", tenant);
 * }</pre>
 */
public final class InProcessRateLimitHierarchy {

  private final List<RateLimit> rules;
  private final List<InProcessRateLimiter> levels;
  private final String name;
  private final long maxPermits;
  private final Ticker ticker;
  private final RateLimitListener listener;

  private InProcessRateLimitHierarchy(Builder builder) {
    List<InProcessRateLimiter> built = new ArrayList<>();
    long smallest = Long.MAX_VALUE;
    for (RateLimit limit : builder.levels) {
      // The levels report nothing: the hierarchy reports its one decision.
      built.add(
          InProcessRateLimiter.builder(limit)
              .ticker(builder.ticker)
              .maximumKeys(builder.maximumKeys)
              .build());
      smallest = Math.min(smallest, limit.limit());
    }
    this.rules = builder.levels;
    this.levels = List.copyOf(built);
    this.name = builder.effectiveName();
    this.maxPermits = smallest;
    this.ticker = builder.ticker;
    this.listener = builder.listener;
  }

  /**
   * @param levels the levels' rules, outermost first; at least one, with distinct names
   * @return a builder
   */
  public static Builder builder(List<RateLimit> levels) {
    return new Builder(HierarchyRequests.levels(levels));
  }

  /**
   * @param levels the levels' rules, outermost first; at least one
   * @return a hierarchy with the defaults: the system ticker, at most 1,000,000 keys per level, no
   *     listener
   */
  public static InProcessRateLimitHierarchy of(List<RateLimit> levels) {
    return builder(levels).build();
  }

  /**
   * Takes permits at every level, or at none.
   *
   * @param permits the cost, 1 to the smallest level's limit
   * @param keys one key per level, outermost first
   * @return the decision; its policy is the level that denied, or the tightest level
   */
  public Decision decide(int permits, String... keys) {
    HierarchyRequests.check(levels.size(), maxPermits, permits, keys);
    Decision tightest = null;
    int tightestLevel = 0;
    long now = ticker.nanoTime();
    for (int i = 0; i < levels.size(); i++) {
      Decision decision = levels.get(i).decideAt(keys[i], permits, now);
      if (!decision.allowed()) {
        for (int j = i - 1; j >= 0; j--) {
          levels.get(j).refund(keys[j], permits, now);
        }
        return report(keys[i], decision);
      }
      if (tightest == null || decision.remaining() < tightest.remaining()) {
        tightest = decision;
        tightestLevel = i;
      }
    }
    return report(keys[tightestLevel], Objects.requireNonNull(tightest));
  }

  /** Tells the listener, with the key of the level that decided. */
  private Decision report(String key, Decision decision) {
    if (listener != RateLimitListener.NONE) {
      Listeners.notify(
          listener,
          "onDecision",
          l -> l.onDecision(name, key, decision, DecisionSource.IN_PROCESS));
    }
    return decision;
  }

  /**
   * @return the levels' rules, outermost first
   */
  public List<RateLimit> levels() {
    return rules;
  }

  /**
   * @return the name its listener events carry
   */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "InProcessRateLimitHierarchy[" + name + ": " + rules + "]";
  }

  /** Settings of an {@link InProcessRateLimitHierarchy}; each has a default. */
  public static final class Builder extends LocalLimiterBuilder.Keyed<Builder> {
    private final List<RateLimit> levels;

    /** The levels, checked: the innermost names the hierarchy unless {@link #name} does. */
    private Builder(List<RateLimit> levels) {
      super(levels.get(levels.size() - 1));
      this.levels = levels;
    }

    /**
     * @return the hierarchy
     */
    public InProcessRateLimitHierarchy build() {
      return new InProcessRateLimitHierarchy(this);
    }
  }
}
