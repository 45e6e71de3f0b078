package dev.keelson.ratelimit;

import dev.keelson.core.Ticker;
import dev.keelson.ratelimit.internal.HierarchyRequests;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Layered limits in this JVM, such as global, then tenant, then endpoint: a request is granted only
 * if every level grants it. Levels are taken outermost first; when one denies, the levels already
 * taken get their permits back, so no level keeps permits for a denied request. (A concurrent
 * request may meanwhile see a level fuller than it ends up, never emptier.) Also the fallback of
 * {@code RedisRateLimitHierarchy} while Redis is down.
 */
public final class InProcessRateLimitHierarchy {

  private final List<InProcessRateLimiter> levels;
  private final long maxPermits;
  private final Ticker ticker;

  private InProcessRateLimitHierarchy(List<RateLimit> limits, Ticker ticker, long maximumKeys) {
    if (limits.isEmpty()) {
      throw new IllegalArgumentException("levels: a hierarchy needs at least one level");
    }
    List<InProcessRateLimiter> built = new ArrayList<>();
    long smallest = Long.MAX_VALUE;
    for (RateLimit limit : limits) {
      built.add(InProcessRateLimiter.of(limit, ticker, maximumKeys));
      smallest = Math.min(smallest, limit.limit());
    }
    this.levels = List.copyOf(built);
    this.maxPermits = smallest;
    this.ticker = ticker;
  }

  /**
   * @param levels the levels' rules, outermost first
   * @return the hierarchy
   */
  public static InProcessRateLimitHierarchy of(List<RateLimit> levels) {
    return new InProcessRateLimitHierarchy(List.copyOf(levels), Ticker.system(), 1_000_000);
  }

  /**
   * @param levels the levels' rules, outermost first
   * @param ticker the time source
   * @param maximumKeys keys kept at most per level
   * @return the hierarchy
   */
  public static InProcessRateLimitHierarchy of(
      List<RateLimit> levels, Ticker ticker, long maximumKeys) {
    return new InProcessRateLimitHierarchy(List.copyOf(levels), ticker, maximumKeys);
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
    long now = ticker.nanoTime();
    for (int i = 0; i < levels.size(); i++) {
      Decision decision = levels.get(i).decideAt(keys[i], permits, now);
      if (!decision.allowed()) {
        for (int j = i - 1; j >= 0; j--) {
          levels.get(j).refund(keys[j], permits, now);
        }
        return decision;
      }
      if (tightest == null || decision.remaining() < tightest.remaining()) {
        tightest = decision;
      }
    }
    return Objects.requireNonNull(tightest);
  }
}
