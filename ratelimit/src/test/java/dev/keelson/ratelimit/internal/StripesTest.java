package dev.keelson.ratelimit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.ratelimit.Decision;
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

  record Grant(long at, int permits) {}

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

  /** Runs the first {@code splitPercent}% of the requests on the whole key, the rest on stripes. */
  private static List<Grant> run(
      PackedAlgorithm algorithm, int stripes, int splitPercent, List<Request> requests) {
    int splitAt = requests.size() * splitPercent / 100;
    long now = 0;
    long state = PackedAlgorithm.EMPTY;
    Stripes split = null;
    List<Grant> grants = new ArrayList<>();
    for (int i = 0; i < requests.size(); i++) {
      Request request = requests.get(i);
      now += request.waitNanos();
      int permits = (int) Math.min(request.permits(), algorithm.limit().limit());
      boolean granted;
      if (i < splitAt) {
        long next = algorithm.take(state, now, permits);
        granted = next != state;
        state = next;
      } else {
        if (split == null) {
          split = new Stripes(algorithm, state, stripes);
        }
        granted = split.tryAcquire(now, permits, request.home() & (stripes - 1));
      }
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
    List<Grant> grants = run(PackedAlgorithm.of(limit), 1 << stripesLog2, splitPercent, requests);

    for (int i = 0; i < grants.size(); i++) {
      long admitted = 0;
      for (int j = i; j < grants.size(); j++) {
        admitted += grants.get(j).permits();
        long span = grants.get(j).at() - grants.get(i).at();
        assertThat(admitted).isLessThanOrEqualTo(capacity + span / interval);
      }
    }
  }

  /** A fixed window resets every stripe at once, so split or whole it decides the same. */
  @Property(tries = 300)
  void aSplitFixedWindowDecidesExactlyAsTheWholeKey(
      @ForAll("requests") List<Request> requests,
      @ForAll @IntRange(min = 1, max = 40) int limitPermits,
      @ForAll @IntRange(min = 10, max = 2_000) int windowMillis,
      @ForAll @IntRange(min = 1, max = 6) int stripesLog2,
      @ForAll @IntRange(min = 0, max = 100) int splitPercent) {
    PackedAlgorithm algorithm =
        PackedAlgorithm.of(
            RateLimit.fixedWindow("p", limitPermits, Duration.ofMillis(windowMillis)));

    assertThat(run(algorithm, 1 << stripesLog2, splitPercent, requests))
        .isEqualTo(run(algorithm, 1 << stripesLog2, 100, requests));
  }

  @Property(tries = 300)
  void aDenialsRetryAfterIsExactAndNoStripeHeldThePermits(
      @ForAll("requests") List<Request> requests,
      @ForAll boolean tokenBucket,
      @ForAll @IntRange(min = 1, max = 40) int limitPermits,
      @ForAll @IntRange(min = 10, max = 2_000) int periodMillis,
      @ForAll @IntRange(min = 1, max = 6) int stripesLog2) {
    Duration period = Duration.ofMillis(periodMillis);
    PackedAlgorithm algorithm =
        PackedAlgorithm.of(
            tokenBucket
                ? RateLimit.tokenBucket("p", limitPermits, period)
                : RateLimit.fixedWindow("p", limitPermits, period));
    int count = 1 << stripesLog2;
    Stripes stripes = new Stripes(algorithm, PackedAlgorithm.EMPTY, count);
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
      @ForAll boolean tokenBucket,
      @ForAll @IntRange(min = 5, max = 50) int limitPermits,
      @ForAll @IntRange(min = 1, max = 6) int stripesLog2) {
    Duration period = Duration.ofSeconds(1);
    PackedAlgorithm algorithm =
        PackedAlgorithm.of(
            tokenBucket
                ? RateLimit.tokenBucket("p", limitPermits, period)
                : RateLimit.fixedWindow("p", limitPermits, period));
    Stripes stripes = new Stripes(algorithm, PackedAlgorithm.EMPTY, 1 << stripesLog2);
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
    PackedAlgorithm algorithm =
        PackedAlgorithm.of(RateLimit.fixedWindow("p", 100, Duration.ofSeconds(1)));
    Stripes stripes = new Stripes(algorithm, PackedAlgorithm.EMPTY, 4);
    assertThat(stripes.tryAcquire(0, 60, 1)).isTrue();

    stripes.refund(0, 50, 3);
    assertThat(stripes.decide(0, 1, 0).remaining()).isEqualTo(100 - 10 - 1);
    stripes.refund(0, 500, 2);
    assertThat(stripes.decide(0, 1, 0).remaining()).isEqualTo(100 - 1);
  }

  @Test
  void manyThreadsOnASplitKeyGetExactlyTheLimit() {
    for (RateLimit limit :
        List.of(
            RateLimit.tokenBucket("hot", 100_000, Duration.ofDays(1)),
            RateLimit.fixedWindow("hot", 100_000, Duration.ofDays(1)))) {
      PackedState state = new PackedState(PackedAlgorithm.of(limit), 4);
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

  @Test
  void aKeyWithFewPermitsPerStripeStaysWhole() {
    PackedState state =
        new PackedState(
            PackedAlgorithm.of(RateLimit.tokenBucket("small", 31, Duration.ofSeconds(1))), 4);
    state.split();
    assertThat(state.isStriped()).isFalse();
  }

  @Test
  void stripeCountsArePowersOfTwo() {
    PackedAlgorithm algorithm =
        PackedAlgorithm.of(RateLimit.fixedWindow("p", 100, Duration.ofSeconds(1)));
    assertThatThrownBy(() -> new Stripes(algorithm, PackedAlgorithm.EMPTY, 3))
        .hasMessageContaining("power of two");
    assertThatThrownBy(() -> new Stripes(algorithm, PackedAlgorithm.EMPTY, 1))
        .hasMessageContaining("at least 2");
  }
}
