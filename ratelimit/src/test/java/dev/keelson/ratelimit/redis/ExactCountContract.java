package dev.keelson.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.core.internal.redis.RedisScriptRunner;
import dev.keelson.ratelimit.Algorithm;
import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.Grants;
import dev.keelson.ratelimit.Grants.Grant;
import dev.keelson.ratelimit.LocalRateLimiter;
import dev.keelson.ratelimit.RateLimit;
import dev.keelson.testing.Concurrently;
import dev.keelson.testing.ManualClock;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Redis counts exactly what this JVM's limiter counts, to the README's bound (Redis's clock ticks
 * in microseconds), at every rate the builders accept: one an hour to one a microsecond for the
 * token bucket, the largest limits over the shortest and longest windows for the others.
 */
abstract class ExactCountContract extends HierarchyContract {

  private static final Duration RUN = Duration.ofMillis(200);

  static Stream<Arguments> rates() {
    Duration hour = Duration.ofHours(1);
    Duration second = Duration.ofSeconds(1);
    Duration milli = Duration.ofMillis(1);
    Duration week = Duration.ofDays(7);
    List<Arguments> rates = new ArrayList<>();
    for (Algorithm algorithm : Algorithm.values()) {
      rates.add(Arguments.of(algorithm, 1L, hour));
      rates.add(Arguments.of(algorithm, 7L, second));
      rates.add(Arguments.of(algorithm, 1000L, second));
    }
    rates.add(Arguments.of(Algorithm.TOKEN_BUCKET, 600_000L, second));
    // One a microsecond, the most Redis's clock can refill: over a second and over a week.
    rates.add(Arguments.of(Algorithm.TOKEN_BUCKET, 1_000_000L, second));
    rates.add(Arguments.of(Algorithm.TOKEN_BUCKET, week.toNanos() / 1000, week));
    for (Algorithm windowed :
        List.of(Algorithm.SLIDING_WINDOW, Algorithm.SLIDING_LOG, Algorithm.FIXED_WINDOW)) {
      rates.add(Arguments.of(windowed, windowed.maxLimit(), milli));
      rates.add(Arguments.of(windowed, windowed.maxLimit(), week));
    }
    return rates.stream();
  }

  private static RateLimit rule(Algorithm algorithm, long limit, Duration period) {
    String name = "rate-" + algorithm.ordinal() + "-" + limit + "-" + period.toMillis();
    return switch (algorithm) {
      case TOKEN_BUCKET -> RateLimit.tokenBucket(name, limit, period);
      case SLIDING_WINDOW -> RateLimit.slidingWindow(name, limit, period);
      case SLIDING_LOG -> RateLimit.slidingLog(name, limit, period);
      case FIXED_WINDOW -> RateLimit.fixedWindow(name, limit, period);
    };
  }

  private RedisRateLimiter exactLimiter(RateLimit rule) {
    return RedisRateLimiter.builder(connect(), rule)
        .keyPrefix(prefix())
        .timeout(GENEROUS)
        .withoutDenyCache()
        .build();
  }

  /** Redis's clock on the node that holds {@code redisKey}, in microseconds. */
  private long serverMicros(String redisKey) {
    List<String> time = onNodeOf(redisKey, RedisCommands::time);
    return Long.parseLong(time.get(0)) * 1_000_000 + Long.parseLong(time.get(1));
  }

  @ParameterizedTest(name = "{0}, {1} per {2}")
  @MethodSource("rates")
  void aFreshKeyIsDecidedAsThisJvmDecidesIt(Algorithm algorithm, long limit, Duration period) {
    RateLimit rule = rule(algorithm, limit, period);
    RedisRateLimiter redis = exactLimiter(rule);
    LocalRateLimiter here =
        LocalRateLimiter.builder(rule).ticker(ManualClock.create()::nanoTime).build();
    int permits = (int) Math.min(limit, Integer.MAX_VALUE);

    long begin = System.nanoTime();
    Decision onRedis = redis.decide("fresh", permits);
    Decision inJvm = here.decide(permits);

    assertThat(onRedis.allowed()).isTrue();
    assertThat(onRedis.remaining()).isEqualTo(inJvm.remaining()).isEqualTo(limit - permits);
    if (algorithm != Algorithm.TOKEN_BUCKET) {
      // When the window's counts are gone: at most the window and its oldest slice, as here.
      assertThat(onRedis.resetAfter())
          .isPositive()
          .isLessThanOrEqualTo(period.plus(period.dividedBy(10)).plusNanos(1000));
      return;
    }
    // The bucket is full again once the permits have refilled, one interval each: Redis rounds up
    // to its clock's microsecond.
    assertThat(onRedis.resetAfterNanos())
        .isBetween(inJvm.resetAfterNanos(), inJvm.resetAfterNanos() + 999);
    if (permits < limit) {
      return; // the bucket is larger than a request can be: nothing to deny yet
    }

    Decision deniedOnRedis = redis.decide("fresh", permits);
    long elapsed = System.nanoTime() - begin;
    Decision deniedInJvm = here.decide(permits);
    assertThat(deniedOnRedis.allowed()).isFalse();
    assertThat(deniedOnRedis.retryAfterNanos())
        .isBetween(
            deniedInJvm.retryAfterNanos() - elapsed - 1000, deniedInJvm.retryAfterNanos() + 999);
  }

  @ParameterizedTest(name = "{0}, {1} per {2}")
  @MethodSource("rates")
  void underOverloadRedisAdmitsWhatThisJvmWould(Algorithm algorithm, long limit, Duration period) {
    RateLimit rule = rule(algorithm, limit, period);
    RedisRateLimiter redis = exactLimiter(rule);
    String redisKey = redis.redisKey("overload");
    int chunk = (int) Math.min(Integer.MAX_VALUE, Math.max(1, limit / 20));

    long admitted = 0;
    long start = serverMicros(redisKey);
    long firstGranted = 0;
    long lastAsked = 0;
    boolean lastGranted = true;
    long runUntil = System.nanoTime() + RUN.toNanos();
    // Asks for the run's length; a token bucket then on until it denies (at most 1000 more).
    int askedAfterTheRun = 0;
    while (System.nanoTime() - runUntil < 0
        || (algorithm == Algorithm.TOKEN_BUCKET && lastGranted && askedAfterTheRun++ < 1000)) {
      lastAsked = serverMicros(redisKey);
      lastGranted = redis.tryAcquire("overload", chunk);
      admitted += lastGranted ? chunk : 0;
      if (firstGranted == 0) {
        firstGranted = serverMicros(redisKey);
      }
    }
    long span = serverMicros(redisKey) - start;

    if (algorithm != Algorithm.TOKEN_BUCKET) {
      // Every window that the run touched holds at most the limit.
      long windows = span / (period.toNanos() / 1000) + 2;
      assertThat(admitted).isBetween((long) chunk, limit * windows);
      return;
    }
    // Never more than the burst plus the rate times the time Redis saw pass, exactly ...
    BigInteger most =
        BigInteger.valueOf(span)
            .multiply(BigInteger.valueOf(1000 * limit))
            .divide(BigInteger.valueOf(period.toNanos()))
            .add(BigInteger.valueOf(limit));
    assertThat(BigInteger.valueOf(admitted)).isLessThanOrEqualTo(most);
    // ... and, asked for more all along, no less than the burst and what refilled until the
    // last (denied) request, one request's permits and the nanosecond rounding aside.
    assertThat(lastGranted).as("a request denied once the burst is gone").isFalse();
    long interval = (period.toNanos() + limit - 1) / limit;
    long refilled = (lastAsked - firstGranted) * 1000 / interval;
    assertThat(admitted).isGreaterThanOrEqualTo(limit - chunk + refilled - 1);
  }

  @Test
  void everyPermitInTheSlidingLogCountsWhateverMicrosecondItFallsIn() {
    // Two a millisecond, asked by four callers at once: permits a few microseconds apart, which
    // Lua's number-to-string would give the same name (it keeps 14 digits: 100 us).
    RateLimit rule = RateLimit.slidingLog("named", 2, Duration.ofMillis(1));
    RedisScriptRunner runner = RedisScriptRunner.on(connect());
    List<String> keys = List.of(Scripts.redisKey(prefix(), rule, "log"));
    List<Grant> grants = java.util.Collections.synchronizedList(new ArrayList<>());

    Concurrently.run(
        4,
        thread -> {
          for (int i = 0; i < 400; i++) {
            List<Object> reply =
                runner.run(Scripts.decide(Algorithm.SLIDING_LOG), GENEROUS, keys, 1, 2L, 1000L);
            if (Scripts.allowed(reply)) {
              // Slot 6: the microsecond the permit was logged at, by Redis's clock.
              grants.add(new Grant((Long) reply.get(5), 1));
            }
          }
        });

    List<Grant> inOrder = new ArrayList<>(grants);
    inOrder.sort(Comparator.comparingLong(Grant::at));
    assertThat(inOrder.size()).isGreaterThan(2);
    Grants.assertWindowBound(inOrder, 1000, 2);
  }

  @Test
  void aFixedWindowWrittenByAClockAheadKeepsItsCount() {
    RateLimit rule = RateLimit.fixedWindow("ahead", 5, Duration.ofSeconds(10));
    RedisRateLimiter limiter = exactLimiter(rule);
    String redisKey = limiter.redisKey("failover");
    long window = serverMicros(redisKey) / 10_000_000L;

    // As a master whose clock ran a window ahead left it, after five grants; then a failover
    // moved the key to this node.
    onNodeOf(
        redisKey, node -> node.hset(redisKey, Map.of("w", Long.toString(window + 1), "n", "5")));
    onNodeOf(redisKey, node -> node.pexpire(redisKey, 30_000));

    assertThat(limiter.decide("failover", 1).allowed()).isFalse();
  }

  @Test
  void aTokenBucketWrittenInWholeMicrosecondsReadsAsBefore() {
    // Earlier versions kept the TAT as whole microseconds: a rolling upgrade reads them on.
    RateLimit rule = RateLimit.tokenBucket("upgraded", 10, Duration.ofSeconds(10));
    RedisRateLimiter limiter = exactLimiter(rule);
    String redisKey = limiter.redisKey("old");
    long fiveSecondsAhead = serverMicros(redisKey) + 5_000_000;
    onNodeOf(
        redisKey,
        node -> node.set(redisKey, Long.toString(fiveSecondsAhead), SetArgs.Builder.px(10_000)));

    // Half the bucket was taken: 10 - 5 - 1 left, the last one partly refilled.
    assertThat(limiter.decide("old", 1).remaining()).isEqualTo(4);
    String stored = onNodeOf(redisKey, node -> node.get(redisKey));
    assertThat(stored).matches("\\d+\\.\\d{3}");
  }
}
