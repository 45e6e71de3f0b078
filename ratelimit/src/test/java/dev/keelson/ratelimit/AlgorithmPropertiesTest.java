package dev.keelson.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.ratelimit.Grants.Grant;
import dev.keelson.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * For every in-process algorithm, under any sequence of requests: admitted permits never exceed the
 * bound, and under steady overload the admitted rate converges to the limit.
 */
class AlgorithmPropertiesTest {

  /** One request: wait this long, then ask for this many permits (capped at the limit). */
  record Request(long waitNanos, int permits) {}

  @Provide
  Arbitrary<List<Request>> requests() {
    Arbitrary<Long> waits =
        Arbitraries.oneOf(
            Arbitraries.just(0L),
            Arbitraries.longs().between(0, 5_000_000L),
            Arbitraries.longs().between(0, 400_000_000L));
    Arbitrary<Integer> permits = Arbitraries.integers().between(1, 8);
    return Combinators.combine(waits, permits).as(Request::new).list().ofMinSize(1).ofMaxSize(400);
  }

  private static List<Grant> run(RateLimit limit, List<Request> requests) {
    ManualClock clock = ManualClock.create();
    LocalRateLimiter limiter = LocalRateLimiter.builder(limit).ticker(clock::nanoTime).build();
    List<Grant> grants = new ArrayList<>();
    for (Request request : requests) {
      clock.advance(Duration.ofNanos(request.waitNanos()));
      int permits = (int) Math.min(request.permits(), limit.limit());
      if (limiter.tryAcquire(permits)) {
        grants.add(new Grant(clock.nanoTime(), permits));
      }
    }
    return grants;
  }

  @Property(tries = 300)
  void aTokenBucketNeverAdmitsMoreThanItsBurstPlusTheRefill(
      @ForAll("requests") List<Request> requests,
      @ForAll @IntRange(min = 1, max = 40) int capacity,
      @ForAll @IntRange(min = 10, max = 2_000) int periodMillis) {
    RateLimit limit = RateLimit.tokenBucket("p", capacity, Duration.ofMillis(periodMillis));
    long interval = limit.period().toNanos() / capacity;
    List<Grant> grants = run(limit, requests);

    Grants.assertBurstPlusRefill(grants, capacity, interval);
  }

  @Property(tries = 300)
  void theSlidingLogIsExactInEveryWindow(
      @ForAll("requests") List<Request> requests,
      @ForAll @IntRange(min = 1, max = 40) int limitPermits,
      @ForAll @IntRange(min = 10, max = 2_000) int windowMillis) {
    RateLimit limit = RateLimit.slidingLog("p", limitPermits, Duration.ofMillis(windowMillis));
    Grants.assertWindowBound(run(limit, requests), limit.period().toNanos(), limitPermits);
  }

  @Property(tries = 300)
  void windowCountersNeverAdmitMoreThanTheLimitInOneFixedWindow(
      @ForAll("requests") List<Request> requests,
      @ForAll @IntRange(min = 1, max = 40) int limitPermits,
      @ForAll @IntRange(min = 10, max = 2_000) int windowMillis,
      @ForAll boolean sliding) {
    Duration window = Duration.ofMillis(windowMillis);
    RateLimit limit =
        sliding
            ? RateLimit.slidingWindow("p", limitPermits, window)
            : RateLimit.fixedWindow("p", limitPermits, window);
    List<Grant> grants = run(limit, requests);

    long windowNanos = window.toNanos();
    for (Grant grant : grants) {
      long index = Math.floorDiv(grant.at(), windowNanos);
      long inWindow =
          grants.stream()
              .filter(g -> Math.floorDiv(g.at(), windowNanos) == index)
              .mapToLong(Grant::permits)
              .sum();
      assertThat(inWindow).isLessThanOrEqualTo(limitPermits);
    }
    if (sliding) {
      // The estimate counts the ten newest slices whole and never exceeds the limit: so any ten
      // slices, and any span of nine slices' length, hold at most the limit; any window at most
      // twice it.
      Grants.assertWindowBound(grants, windowNanos - windowNanos / 10, limitPermits);
      Grants.assertWindowBound(grants, windowNanos, 2L * limitPermits);
    }
  }

  /**
   * The in-process counter decides exactly by the estimate: the ten newest slices whole, the oldest
   * by the share of it still inside the window, computed here from the grants themselves.
   */
  @Property(tries = 300)
  void theSlidingWindowDecidesByTheWeightedEstimateOfItsGrants(
      @ForAll("requests") List<Request> requests,
      @ForAll @IntRange(min = 1, max = 40) int limitPermits,
      @ForAll @IntRange(min = 10, max = 2_000) int windowMillis) {
    RateLimit limit = RateLimit.slidingWindow("p", limitPermits, Duration.ofMillis(windowMillis));
    long slice = limit.period().toNanos() / 10;
    ManualClock clock = ManualClock.create();
    LocalRateLimiter limiter = LocalRateLimiter.builder(limit).ticker(clock::nanoTime).build();
    List<Grant> grants = new ArrayList<>();
    for (Request request : requests) {
      clock.advance(Duration.ofNanos(request.waitNanos()));
      long now = clock.nanoTime();
      long current = Math.floorDiv(now, slice);
      long whole = 0;
      long oldest = 0;
      for (Grant grant : grants) {
        long age = current - Math.floorDiv(grant.at(), slice);
        whole += age < 10 ? grant.permits() : 0;
        oldest += age == 10 ? grant.permits() : 0;
      }
      long estimate = whole + oldest * (slice - (now - current * slice)) / slice;
      int permits = (int) Math.min(request.permits(), limitPermits);

      boolean granted = limiter.tryAcquire(permits);
      assertThat(granted)
          .as("estimate %d + %d permits", estimate, permits)
          .isEqualTo(estimate + permits <= limitPermits);
      if (granted) {
        grants.add(new Grant(now, permits));
      }
    }
  }

  @Property(tries = 300)
  void aDenialsRetryAfterIsExactAfterAnyHistory(
      @ForAll("requests") List<Request> requests,
      @ForAll @IntRange(min = 1, max = 4) int algorithmIndex,
      @ForAll @IntRange(min = 1, max = 40) int limitPermits,
      @ForAll @IntRange(min = 10, max = 2_000) int periodMillis) {
    RateLimit limit = rule(algorithmIndex, limitPermits, Duration.ofMillis(periodMillis));
    ManualClock clock = ManualClock.create();
    LocalRateLimiter limiter = LocalRateLimiter.builder(limit).ticker(clock::nanoTime).build();
    for (Request request : requests) {
      clock.advance(Duration.ofNanos(request.waitNanos()));
      limiter.tryAcquire((int) Math.min(request.permits(), limit.limit()));
    }
    int permits = (int) Math.min(requests.get(0).permits(), limit.limit());
    while (limiter.tryAcquire(permits)) {
      // Drain until the next request of this size is denied.
    }

    Decision denied = limiter.decide(permits);
    assertThat(denied.allowed()).isFalse();
    clock.advance(denied.retryAfter().minusNanos(1));
    assertThat(limiter.decide(permits).allowed()).as("1 ns before retry-after").isFalse();
    clock.advance(Duration.ofNanos(1));
    assertThat(limiter.decide(permits).allowed()).as("at retry-after").isTrue();
  }

  private static RateLimit rule(int algorithmIndex, int limitPermits, Duration period) {
    return switch (algorithmIndex) {
      case 1 -> RateLimit.tokenBucket("p", limitPermits, period);
      case 2 -> RateLimit.slidingWindow("p", limitPermits, period);
      case 3 -> RateLimit.slidingLog("p", limitPermits, period);
      default -> RateLimit.fixedWindow("p", limitPermits, period);
    };
  }

  @Property(tries = 40)
  void underSteadyOverloadTheAdmittedRateConvergesToTheLimit(
      @ForAll @IntRange(min = 1, max = 4) int algorithmIndex,
      @ForAll @IntRange(min = 5, max = 50) int limitPermits) {
    Duration period = Duration.ofSeconds(1);
    RateLimit limit = rule(algorithmIndex, limitPermits, period);
    ManualClock clock = ManualClock.create();
    LocalRateLimiter limiter = LocalRateLimiter.builder(limit).ticker(clock::nanoTime).build();
    // Requests every millisecond: at least 20 times the limit.
    long step = Duration.ofMillis(1).toNanos();
    int seconds = 200;
    long admitted = 0;
    for (long t = 0; t < seconds * period.toNanos(); t += step) {
      clock.advance(Duration.ofNanos(step));
      if (limiter.tryAcquire(1)) {
        admitted++;
      }
    }

    double rate = (double) admitted / seconds;
    assertThat(rate)
        .isBetween(limitPermits * 0.97, limitPermits * 1.03 + 1.0 / seconds * limitPermits);
  }
}
