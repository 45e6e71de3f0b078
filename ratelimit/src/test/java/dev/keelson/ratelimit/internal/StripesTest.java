package dev.keelson.ratelimit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.ratelimit.Algorithm;
import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.Grants;
import dev.keelson.ratelimit.Grants.Grant;
import dev.keelson.ratelimit.RateLimit;
import dev.keelson.testing.Concurrently;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * A contended key split into stripes keeps the whole key's bound: requests from any mix of home
 * stripes, after any history before the split, never get more than the algorithm allows the key; a
 * denial means the stripes together were short (no permits stranded in another thread's stripe),
 * and its retry-after is exact.
 */
class StripesTest {

  /** Wait, then ask for permits (capped at the limit) from a home stripe. */
  record Request(long waitNanos, int permits, int home) {}

  @Provide
  Arbitrary<List<Request>> requests() {
    Arbitrary<Long> waits =
        Arbitraries.oneOf(
            Arbitraries.just(0L),
            Arbitraries.longs().between(0, 5_000_000L),
            Arbitraries.longs().between(0, 400_000_000L));
    return Combinators.combine(
            waits, Arbitraries.integers().between(1, 8), Arbitraries.integers().between(0, 63))
        .as(Request::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(300);
  }

  /** A key before its split: decides whole, and splits into stripes from its state. */
  interface Whole {
    boolean tryAcquire(long now, int permits);

    Stripes split(int count);
  }

  static Whole whole(RateLimit limit) {
    if (limit.algorithm() == Algorithm.SLIDING_WINDOW) {
      SlidingWindowState ring = new SlidingWindowState(limit, 1);
      return new Whole() {
        @Override
        public boolean tryAcquire(long now, int permits) {
          return ring.tryAcquire(now, permits);
        }

        @Override
        public Stripes split(int count) {
          SlidingWindowStripes stripes = new SlidingWindowStripes(limit, count);
          stripes.fill(ring.freeze());
          return stripes;
        }
      };
    }
    PackedAlgorithm algorithm = PackedAlgorithm.of(limit);
    return new Whole() {
      long state = PackedAlgorithm.EMPTY;

      @Override
      public boolean tryAcquire(long now, int permits) {
        long next = algorithm.take(state, now, permits);
        boolean granted = next != state;
        state = next;
        return granted;
      }

      @Override
      public Stripes split(int count) {
        PackedStripes stripes = new PackedStripes(algorithm, count);
        stripes.fill(state);
        return stripes;
      }
    };
  }

  static RateLimit rule(int algorithm, int limit, Duration period) {
    return switch (algorithm) {
      case 0 -> RateLimit.tokenBucket("p", limit, period);
      case 1 -> RateLimit.fixedWindow("p", limit, period);
      default -> RateLimit.slidingWindow("p", limit, period);
    };
  }

  /** A key's in-process state that splits into {@code stripes} when contended. */
  static LocalState splittable(RateLimit limit, int stripes) {
    return limit.algorithm() == Algorithm.SLIDING_WINDOW
        ? new SlidingWindowState(limit, stripes)
        : new PackedState(PackedAlgorithm.of(limit), stripes);
  }

  /** Runs the first {@code splitPercent}% of the requests on the whole key, the rest on stripes. */
  private static List<Grant> run(
      RateLimit limit, int stripes, int splitPercent, List<Request> requests) {
    int splitAt = requests.size() * splitPercent / 100;
    Whole whole = whole(limit);
    Stripes split = null;
    long now = 0;
    List<Grant> grants = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      Request request = requests.get(i);
      now += request.waitNanos();
      int permits = (int) Math.min(request.permits(), limit.limit());
      if (i == splitAt) {
        split = whole.split(stripes);
      }
      boolean granted =
          split == null
              ? whole.tryAcquire(now, permits)
              : split.tryAcquire(now, permits, request.home() & (stripes - 1));
      if (granted) {
        grants.add(new Grant(now, permits));
      }
    }
    return grants;
  }

  @Property(tries = 300)
  void aSplitTokenBucketNeverAdmitsMoreThanItsBurstPlusTheRefill(
      @ForAll("requests") List<Request> requests,
      @ForAll @IntRange(min = 1, max = 40) int capacity,
      @ForAll @IntRange(min = 10, max = 2_000) int periodMillis,
      @ForAll @IntRange(min = 1, max = 6) int stripesLog2,
      @ForAll @IntRange(min = 0, max = 100) int splitPercent) {
    RateLimit limit = RateLimit.tokenBucket("p", capacity, Duration.ofMillis(periodMillis));
    long interval = limit.period().toNanos() / capacity;
    List<Grant> grants = run(limit, 1 << stripesLog2, splitPercent, requests);

    Grants.assertBurstPlusRefill(grants, capacity, interval);
  }

  /** A fixed window resets every stripe at once, so split or whole it decides the same. */
  @Property(tries = 300)
  void aSplitFixedWindowDecidesExactlyAsTheWholeKey(
      @ForAll("requests") List<Request> requests,
      @ForAll @IntRange(min = 1, max = 40) int limitPermits,
      @ForAll @IntRange(min = 10, max = 2_000) int windowMillis,
      @ForAll @IntRange(min = 1, max = 6) int stripesLog2,
      @ForAll @IntRange(min = 0, max = 100) int splitPercent) {
    RateLimit limit = RateLimit.fixedWindow("p", limitPermits, Duration.ofMillis(windowMillis));

    assertThat(run(limit, 1 << stripesLog2, splitPercent, requests))
        .isEqualTo(run(limit, 1 << stripesLog2, 100, requests));
  }

  /** Each ring holds at most the limit in units in any ten slices: the key at most the limit. */
  @Property(tries = 300)
  void aSplitSlidingWindowNeverAdmitsMoreThanTheLimitInAnyTenSlices(
      @ForAll("requests") List<Request> requests,
      @ForAll @IntRange(min = 1, max = 40) int limitPermits,
      @ForAll @IntRange(min = 10, max = 2_000) int windowMillis,
      @ForAll @IntRange(min = 1, max = 6) int stripesLog2,
      @ForAll @IntRange(min = 0, max = 100) int splitPercent) {
    RateLimit limit = RateLimit.slidingWindow("p", limitPermits, Duration.ofMillis(windowMillis));
    long slice = limit.period().toNanos() / 10;
    List<Grant> grants = run(limit, 1 << stripesLog2, splitPercent, requests);

    Grants.assertSliceBound(grants, slice, 10, limitPermits);
  }

  @Property(tries = 300)
  void aDenialsRetryAfterIsExactAndNoStripeHeldThePermits(
      @ForAll("requests") List<Request> requests,
      @ForAll @IntRange(min = 0, max = 2) int algorithm,
      @ForAll @IntRange(min = 1, max = 40) int limitPermits,
      @ForAll @IntRange(min = 10, max = 2_000) int periodMillis,
      @ForAll @IntRange(min = 1, max = 6) int stripesLog2) {
    int count = 1 << stripesLog2;
    Stripes stripes =
        whole(rule(algorithm, limitPermits, Duration.ofMillis(periodMillis))).split(count);
    long now = 0;
    for (Request request : requests) {
      now += request.waitNanos();
      stripes.tryAcquire(
          now, (int) Math.min(request.permits(), limitPermits), request.home() & (count - 1));
    }
    int permits = (int) Math.min(requests.get(0).permits(), limitPermits);
    int home = requests.get(0).home() & (count - 1);
    while (stripes.tryAcquire(now, permits, home)) {
      // Drain until the next request of this size is denied.
    }

    Decision denied = stripes.decide(now, permits, (home + 1) & (count - 1));
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.remaining()).as("what all stripes hold").isLessThan(permits);
    long retry = denied.retryAfter().toNanos();
    assertThat(stripes.decide(now + retry - 1, permits, home).allowed())
        .as("1 ns before retry-after")
        .isFalse();
    assertThat(stripes.decide(now + retry, permits, home).allowed()).as("at retry-after").isTrue();
  }

  @Property(tries = 40)
  void underSteadyOverloadFromEveryStripeTheRateConvergesToTheLimit(
      @ForAll @IntRange(min = 0, max = 2) int algorithm,
      @ForAll @IntRange(min = 5, max = 50) int limitPermits,
      @ForAll @IntRange(min = 1, max = 6) int stripesLog2) {
    Duration period = Duration.ofSeconds(1);
    Stripes stripes = whole(rule(algorithm, limitPermits, period)).split(1 << stripesLog2);
    long step = Duration.ofMillis(1).toNanos();
    int seconds = 200;
    long admitted = 0;
    for (long now = step; now <= seconds * period.toNanos(); now += step) {
      // One busy thread and the others now and then: stripes drain unevenly.
      long tick = now / step;
      int home = tick % 7 == 0 ? (int) (tick / 7) & ((1 << stripesLog2) - 1) : 0;
      if (stripes.tryAcquire(now, 1, home)) {
        admitted++;
      }
    }

    double rate = (double) admitted / seconds;
    assertThat(rate)
        .isBetween(limitPermits * 0.97, limitPermits * 1.03 + 1.0 / seconds * limitPermits);
  }

  @Test
  void refundsGoBackToTheKeyNotPastItsLimit() {
    Stripes stripes = whole(RateLimit.fixedWindow("p", 100, Duration.ofSeconds(1))).split(4);
    assertThat(stripes.tryAcquire(0, 60, 1)).isTrue();

    stripes.refund(0, 50, 3);
    assertThat(stripes.decide(0, 1, 0).remaining()).isEqualTo(100 - 10 - 1);
    stripes.refund(0, 500, 2);
    assertThat(stripes.decide(0, 1, 0).remaining()).isEqualTo(100 - 1);
  }

  @Test
  void manyThreadsOnASplitKeyGetExactlyTheLimit() {
    for (int algorithm = 0; algorithm < 3; algorithm++) {
      RateLimit limit = rule(algorithm, 100_000, Duration.ofDays(1));
      LocalState state = splittable(limit, 4);
      AtomicLong granted = new AtomicLong();
      Concurrently.run(
          8,
          thread -> {
            for (int i = 0; i < 40_000; i++) {
              // Collisions split the key sooner or later; here the split is sure to come while
              // the others are taking permits.
              while (thread == 0 && i == 2_000 && !state.isStriped()) {
                state.split();
              }
              if (state.tryAcquire(0, 1 + i % 3)) {
                granted.addAndGet(1 + i % 3);
              }
            }
          });

      assertThat(state.isStriped()).as("%s", limit).isTrue();
      // Demand was three times the limit and the clock stood still: every permit was granted,
      // none twice, and none was stranded in a stripe while a thread was denied.
      assertThat(granted.get()).as("%s", limit).isEqualTo(100_000);
    }
  }

  /**
   * The split itself under fire, many times over: a grant that lands in the whole key after its
   * state was copied into the stripes would be counted nowhere, and the key would hand out more
   * than its limit; a refund lost in the split would make it hand out less. Such a grant needs a
   * caller's compare-and-set to fall between the copy and the switch, so this gives the race many
   * chances rather than forcing it.
   */
  @Test
  void noGrantIsLostWhileAKeySplits() {
    for (int round = 0; round < 300; round++) {
      int algorithm = round % 3;
      RateLimit limit = rule(algorithm, 2_000, Duration.ofDays(1));
      LocalState state = splittable(limit, 2);
      AtomicLong granted = new AtomicLong();
      Concurrently.run(
          2,
          thread -> {
            for (int i = 0; i < 2_000; i++) {
              if (thread == 0 && i == 200) {
                state.split();
              }
              boolean allowed = i % 5 == 0 ? state.decide(0, 1).allowed() : state.tryAcquire(0, 1);
              if (allowed && i % 7 == 0) {
                // A hierarchy's refund: the permit comes back and is granted again later.
                state.refund(0, 1);
              } else if (allowed) {
                granted.incrementAndGet();
              }
            }
          });

      assertThat(granted.get()).as("round %d, %s", round, limit).isEqualTo(2_000);
    }
  }

  @Test
  void aKeyWithFewPermitsPerStripeStaysWhole() {
    PackedState bucket =
        new PackedState(
            PackedAlgorithm.of(RateLimit.tokenBucket("small", 31, Duration.ofSeconds(1))), 4);
    bucket.split();
    SlidingWindowState window =
        new SlidingWindowState(RateLimit.slidingWindow("small", 31, Duration.ofSeconds(1)), 4);
    window.split();

    assertThat(bucket.isStriped()).isFalse();
    assertThat(window.isStriped()).isFalse();
    assertThat(window.tryAcquire(0, 31)).isTrue();
  }

  @Test
  void stripeCountsArePowersOfTwo() {
    PackedAlgorithm algorithm =
        PackedAlgorithm.of(RateLimit.fixedWindow("p", 100, Duration.ofSeconds(1)));
    assertThatThrownBy(() -> new PackedStripes(algorithm, 3)).hasMessageContaining("power of two");
    assertThatThrownBy(() -> new PackedStripes(algorithm, 1)).hasMessageContaining("at least 2");
  }
}
