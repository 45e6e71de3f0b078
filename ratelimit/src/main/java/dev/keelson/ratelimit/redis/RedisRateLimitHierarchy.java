package dev.keelson.ratelimit.redis;

import dev.keelson.core.internal.FutureTimeouts;
import dev.keelson.core.internal.Listeners;
import dev.keelson.core.internal.redis.RedisScript;
import dev.keelson.core.internal.redis.RedisScriptRunner;
import dev.keelson.ratelimit.Algorithm;
import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.DecisionSource;
import dev.keelson.ratelimit.InProcessRateLimitHierarchy;
import dev.keelson.ratelimit.RateLimit;
import dev.keelson.ratelimit.RateLimitListener;
import dev.keelson.ratelimit.internal.BackendGuard;
import dev.keelson.ratelimit.internal.HierarchyRequests;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Layered limits decided together, such as global, then tenant, then endpoint: a request is granted
 * only if every level grants it, and then every level counts it; when any level denies, no level
 * keeps the permits (a tenant loses nothing when the global level says no).
 *
 * <p>How: when every level's key is in one hash slot (always on standalone Redis), one script
 * checks and takes all levels atomically. On a Cluster the levels' keys usually live in different
 * slots, so the levels are taken one by one, outermost first, and when a level denies, the levels
 * already taken are given back (a refund script per level). Between the take and the refund, a
 * concurrent request may see a level fuller than it will be; it never sees it emptier, so the
 * limits hold. A request Redis denied stays denied when a refund then fails: the failure is
 * reported to the listener and the breaker, and the levels it could not refund keep those permits
 * until they refill. All levels use one algorithm; a level's state is the same key a {@link
 * RedisRateLimiter} of the same rule uses.
 *
 * <p>While Redis cannot decide, the failure policy does, as for a {@link RedisRateLimiter}: under a
 * local fallback every level is enforced in this JVM, and a request larger than a level's local
 * share is denied until the breaker's next probe. The listener hears every decision, with the key
 * of the level that decided and who decided (Redis or the failure policy), how long Redis took to
 * answer, and every backend event.
 *
 * <pre>{@code
 * RedisRateLimitHierarchy limits = RedisRateLimitHierarchy.builder(connection, List.of(
 *         RateLimit.tokenBucket("global", 10_000, Duration.ofSeconds(1)),
 *         RateLimit.tokenBucket("tenant", 100, Duration.ofSeconds(1)),
 *         RateLimit.tokenBucket("endpoint", 20, Duration.ofSeconds(1))))
 *     .build();
 * Decision decision = limits.decide(1, "all", tenant, tenant + ":/payments");
 * }</pre>
 */
public final class RedisRateLimitHierarchy {

  /** Keys per level the fallback holds at most. */
  private static final long LOCAL_KEYS = 100_000;

  private final List<RateLimit> levels;
  private final String name;
  private final RedisScriptRunner runner;
  private final RedisScript<List<Object>> script;
  private final String keyPrefix;
  private final boolean cluster;
  private final Object[] levelArgs;
  private final long maxPermits;
  private final Duration timeout;
  private final FutureTimeouts timeouts;
  private final FutureTimeouts refundTimeouts;
  private final FailureAnswers failureAnswers;
  private final InProcessRateLimitHierarchy fallback;
  private final BackendGuard guard;
  private final RateLimitListener listener;

  private RedisRateLimitHierarchy(Builder builder) {
    this.levels = builder.levels;
    Algorithm algorithm = levels.get(0).algorithm();
    this.name = builder.effectiveName(levels.get(levels.size() - 1));
    this.runner = RedisScriptRunner.on(builder.connection);
    this.script = Scripts.decide(algorithm);
    this.keyPrefix = builder.keyPrefix;
    this.cluster = builder.connection instanceof StatefulRedisClusterConnection;
    this.levelArgs = new Object[2 * levels.size()];
    long smallest = Long.MAX_VALUE;
    List<RateLimit> localLevels = new ArrayList<>();
    int tightestLocally = 0;
    for (int i = 0; i < levels.size(); i++) {
      levelArgs[2 * i] = levels.get(i).limit();
      levelArgs[2 * i + 1] = Scripts.periodMicros(levels.get(i));
      smallest = Math.min(smallest, levels.get(i).limit());
      localLevels.add(builder.failurePolicy.localLimit(levels.get(i)));
      if (localLevels.get(i).limit() < localLevels.get(tightestLocally).limit()) {
        tightestLocally = i;
      }
    }
    this.maxPermits = smallest;
    this.timeout = builder.timeout;
    this.timeouts = FutureTimeouts.of(timeout.multipliedBy(levels.size()));
    this.refundTimeouts = FutureTimeouts.of(timeout);
    this.failureAnswers =
        new FailureAnswers(
            builder.failurePolicy,
            builder.probeIntervalNanos(),
            levels.get(levels.size() - 1),
            levels.get(tightestLocally));
    this.fallback =
        InProcessRateLimitHierarchy.builder(localLevels)
            .ticker(builder.ticker)
            .maximumKeys(LOCAL_KEYS)
            .build();
    this.guard = builder.guard(name);
    this.listener = builder.listener;
  }

  /**
   * @param connection a standalone or Cluster connection, any codec; the caller owns it
   * @param levels the levels' rules, outermost first: at least one, with distinct names and one
   *     algorithm
   * @return a builder
   */
  public static Builder builder(StatefulConnection<?, ?> connection, List<RateLimit> levels) {
    return new Builder(connection, levels);
  }

  /**
   * A hierarchy with the defaults (see {@link RemoteLimiterBuilder}): {@code builder(connection,
   * levels).build()}.
   *
   * @param connection a standalone or Cluster connection, any codec; the caller owns it
   * @param levels the levels' rules, outermost first: at least one, with distinct names and one
   *     algorithm
   * @return the hierarchy
   */
  public static RedisRateLimitHierarchy on(
      StatefulConnection<?, ?> connection, List<RateLimit> levels) {
    return builder(connection, levels).build();
  }

  /**
   * Takes permits at every level, or at none. The listener hears the decision ({@link
   * RateLimitListener#onDecision}) with the deciding level's key.
   *
   * @param permits the cost, 1 to the smallest level's limit
   * @param keys one key per level, outermost first
   * @return the decision; its policy is the level that denied, or the tightest level
   */
  public Decision decide(int permits, String... keys) {
    List<String> redisKeys = redisKeys(permits, keys);
    if (!guard.allowsCall()) {
      return report(fallback(permits, keys), keys, DecisionSource.FALLBACK);
    }
    try {
      return report(decideOnRedis(permits, redisKeys), keys, DecisionSource.BACKEND);
    } catch (RuntimeException e) {
      guard.failed(e);
      return report(fallback(permits, keys), keys, DecisionSource.FALLBACK);
    }
  }

  /**
   * The decision while Redis cannot make it, as the failure policy says. (On a Cluster, levels
   * taken before Redis failed mid-way keep their permits until they refill: the safe side.)
   */
  private Decision fallback(int permits, String[] keys) {
    return failureAnswers.answer(permits, () -> fallback.decide(permits, keys));
  }

  /** Redis's decision; a take that fails throws, a refund that fails does not (see below). */
  private Decision decideOnRedis(int permits, List<String> redisKeys) {
    long started = guard.callStarts();
    if (!cluster || oneSlot(redisKeys)) {
      List<Object> reply =
          runner.run(script, timeout, redisKeys, arguments(permits, 0, levels.size()));
      guard.answered(started);
      guard.succeeded();
      return Scripts.decision(reply, levels.get(Scripts.decidingLevel(reply)));
    }
    List<List<Object>> taken = new ArrayList<>();
    @Nullable Decision tightest = null;
    for (int i = 0; i < levels.size(); i++) {
      List<Object> reply =
          runner.run(script, timeout, List.of(redisKeys.get(i)), arguments(permits, i, i + 1));
      Decision decision = Scripts.decision(reply, levels.get(i));
      if (!decision.allowed()) {
        guard.answered(started); // the refunds cannot change the decision: not timed
        @Nullable RuntimeException failure = null;
        for (int j = taken.size() - 1; j >= 0; j--) {
          try {
            refund(redisKeys.get(j), levels.get(j), permits, taken.get(j));
          } catch (RuntimeException e) {
            failure = failure == null ? e : failure;
          }
        }
        return refunded(decision, failure);
      }
      taken.add(reply);
      tightest = tighter(tightest, decision);
    }
    guard.answered(started);
    guard.succeeded();
    return Objects.requireNonNull(tightest);
  }

  /**
   * Redis denied: that is the decision, whether or not the refunds of the levels taken before
   * worked. (Their failure leaves those permits taken until they refill, the safe side; it must not
   * hand the request to the failure policy, which could let it through.)
   */
  private Decision refunded(Decision denial, @Nullable Throwable refundFailure) {
    if (refundFailure == null) {
      guard.succeeded();
    } else {
      guard.failed(refundFailure);
    }
    return denial;
  }

  /**
   * As {@link #decide}, without blocking the calling thread.
   *
   * @param permits the cost
   * @param keys one key per level, outermost first
   * @return the decision
   */
  public CompletionStage<Decision> decideAsync(int permits, String... keys) {
    List<String> redisKeys = redisKeys(permits, keys);
    if (!guard.allowsCall()) {
      return CompletableFuture.completedFuture(
          report(fallback(permits, keys), keys, DecisionSource.FALLBACK));
    }
    long started = guard.callStarts();
    if (!cluster || oneSlot(redisKeys)) {
      CompletionStage<Decision> onRedis =
          runner
              .runAsync(script, redisKeys, arguments(permits, 0, levels.size()))
              .thenApply(
                  reply -> Scripts.decision(reply, levels.get(Scripts.decidingLevel(reply))));
      return timeouts
          .watch(onRedis.toCompletableFuture())
          .handle(
              (decision, error) -> {
                if (error != null) {
                  guard.failed(error);
                  return report(fallback(permits, keys), keys, DecisionSource.FALLBACK);
                }
                guard.answered(started);
                guard.succeeded();
                return report(decision, keys, DecisionSource.BACKEND);
              });
    }
    // Only the takes are timed: once a level has denied, the refunds cannot change the decision.
    List<List<Object>> taken = new ArrayList<>();
    return timeouts
        .watch(takeAsync(0, redisKeys, permits, taken, null).toCompletableFuture())
        .handle(
            (decision, error) -> {
              if (error != null) {
                guard.failed(error);
                return CompletableFuture.completedFuture(
                    report(fallback(permits, keys), keys, DecisionSource.FALLBACK));
              }
              guard.answered(started);
              if (decision.allowed()) {
                guard.succeeded();
                return CompletableFuture.completedFuture(
                    report(decision, keys, DecisionSource.BACKEND));
              }
              return refundAsync(redisKeys, permits, taken)
                  .thenApply(
                      failure -> report(refunded(decision, failure), keys, DecisionSource.BACKEND));
            })
        .thenCompose(decision -> decision);
  }

  /**
   * Takes level {@code level} and the ones inside it, one round trip each, until one denies; the
   * levels taken are added to {@code taken}.
   */
  private CompletionStage<Decision> takeAsync(
      int level,
      List<String> redisKeys,
      int permits,
      List<List<Object>> taken,
      @Nullable Decision tightest) {
    if (level == levels.size()) {
      return CompletableFuture.completedFuture(Objects.requireNonNull(tightest));
    }
    return runner
        .runAsync(script, List.of(redisKeys.get(level)), arguments(permits, level, level + 1))
        .thenCompose(
            reply -> {
              Decision decision = Scripts.decision(reply, levels.get(level));
              if (!decision.allowed()) {
                return CompletableFuture.completedFuture(decision);
              }
              taken.add(reply);
              return takeAsync(level + 1, redisKeys, permits, taken, tighter(tightest, decision));
            });
  }

  /**
   * Gives back every level taken, innermost first, each refund timed on its own; completes with the
   * first failure, or null when all worked.
   */
  private CompletionStage<@Nullable Throwable> refundAsync(
      List<String> redisKeys, int permits, List<List<Object>> taken) {
    CompletionStage<@Nullable Throwable> chain = CompletableFuture.completedFuture(null);
    for (int j = taken.size() - 1; j >= 0; j--) {
      int level = j;
      chain =
          chain.thenCompose(
              failure ->
                  refundTimeouts
                      .watch(
                          runner
                              .runAsync(
                                  Scripts.REFUND,
                                  List.of(redisKeys.get(level)),
                                  refundArguments(levels.get(level), permits, taken.get(level)))
                              .toCompletableFuture())
                      .handle((result, error) -> failure != null ? failure : error));
    }
    return chain;
  }

  /** Tells the listener, with the key of the level that decided and who decided. */
  private Decision report(Decision decision, String[] keys, DecisionSource source) {
    if (listener == RateLimitListener.NONE) {
      return decision;
    }
    String key = keys[levels.size() - 1];
    for (int i = 0; i < levels.size(); i++) {
      if (levels.get(i).name().equals(decision.policy())) {
        key = keys[i];
      }
    }
    String decidingKey = key;
    Listeners.notify(
        listener, "onDecision", l -> l.onDecision(name, decidingKey, decision, source));
    return decision;
  }

  public List<RateLimit> levels() {
    return levels;
  }

  /**
   * @return the name its listener events carry
   */
  public String name() {
    return name;
  }

  private List<String> redisKeys(int permits, String[] keys) {
    HierarchyRequests.check(levels.size(), maxPermits, permits, keys);
    List<String> redisKeys = new ArrayList<>(keys.length);
    for (int i = 0; i < keys.length; i++) {
      redisKeys.add(Scripts.redisKey(keyPrefix, levels.get(i), keys[i]));
    }
    return redisKeys;
  }

  private Object[] arguments(int permits, int fromLevel, int toLevel) {
    Object[] args = new Object[1 + 2 * (toLevel - fromLevel)];
    args[0] = permits;
    System.arraycopy(levelArgs, 2 * fromLevel, args, 1, args.length - 1);
    return args;
  }

  private void refund(String redisKey, RateLimit level, int permits, List<Object> takeReply) {
    runner.run(Scripts.REFUND, List.of(redisKey), refundArguments(level, permits, takeReply));
  }

  /** What the refund script needs: what was taken, and where (window number or log time). */
  private static Object[] refundArguments(RateLimit level, int permits, List<Object> takeReply) {
    return new Object[] {
      Scripts.scriptName(level.algorithm()),
      permits,
      level.limit(),
      Scripts.periodMicros(level),
      takeReply.size() > 5 ? takeReply.get(5) : 0L,
      takeReply.size() > 6 ? takeReply.get(6) : 0L
    };
  }

  private static boolean oneSlot(List<String> redisKeys) {
    int slot = SlotHash.getSlot(redisKeys.get(0));
    for (String key : redisKeys) {
      if (SlotHash.getSlot(key) != slot) {
        return false;
      }
    }
    return true;
  }

  private static Decision tighter(@Nullable Decision current, Decision candidate) {
    return current == null || candidate.remaining() < current.remaining() ? candidate : current;
  }

  @Override
  public String toString() {
    return "RedisRateLimitHierarchy[" + name + ": " + levels + "]";
  }

  /** Settings of a {@link RedisRateLimitHierarchy}; those of every Redis limiter are inherited. */
  public static final class Builder extends RemoteLimiterBuilder<Builder> {
    private final List<RateLimit> levels;

    private Builder(StatefulConnection<?, ?> connection, List<RateLimit> levels) {
      super(connection);
      this.levels = HierarchyRequests.levels(levels);
      Algorithm algorithm = this.levels.get(0).algorithm();
      for (RateLimit level : this.levels) {
        if (level.algorithm() != algorithm) {
          throw new IllegalArgumentException(
              "levels: every level must use one algorithm; " + level + " is not " + algorithm);
        }
      }
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * @return the hierarchy
     */
    public RedisRateLimitHierarchy build() {
      return new RedisRateLimitHierarchy(this);
    }
  }
}
