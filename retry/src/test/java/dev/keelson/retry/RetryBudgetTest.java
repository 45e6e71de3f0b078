package dev.keelson.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.testing.Concurrently;
import dev.keelson.testing.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  private final ManualClock clock = ManualClock.create();

  private RatioRetryBudget ratioBudget(double ratio, double floorPerSecond) {
    return RatioRetryBudget.builder()
        .ratio(ratio)
        .window(Duration.ofSeconds(10))
        .minRetriesPerSecond(floorPerSecond)
        .clockSampling(1)
        .ticker(clock::nanoTime)
        .build();
  }

  private static int drain(RetryBudget budget) {
    int granted = 0;
    while (budget.tryAcquireRetry()) {
      granted++;
    }
    return granted;
  }

  @Test
  void allowsTheRatioOfRecentRequestsPlusTheFloor() {
    RatioRetryBudget budget = ratioBudget(0.1, 1);
    for (int i = 0; i < 200; i++) {
      budget.onRequest();
    }

    // 10% of 200 requests, plus 1 per second over a 10 s window.
    assertThat(budget.retriesAvailable()).isEqualTo(30);
    assertThat(drain(budget)).isEqualTo(30);
    assertThat(budget.retriesAvailable()).isZero();
  }

  @Test
  void aQuietClientStillHasTheFloor() {
    RatioRetryBudget budget = ratioBudget(0.1, 0.5);

    assertThat(drain(budget)).isEqualTo(5);
  }

  @Test
  void theWindowSlides() {
    RatioRetryBudget budget = ratioBudget(0.5, 0);
    for (int i = 0; i < 100; i++) {
      budget.onRequest();
    }
    assertThat(drain(budget)).isEqualTo(50);

    clock.advance(Duration.ofSeconds(5));
    for (int i = 0; i < 20; i++) {
      budget.onRequest();
    }
    // 120 requests and 50 retries in the window: 60 - 50.
    assertThat(budget.retriesAvailable()).isEqualTo(10);

    clock.advance(Duration.ofSeconds(6));
    // The first 100 requests and the 50 retries have left the window.
    assertThat(budget.retriesAvailable()).isEqualTo(10);

    clock.advance(Duration.ofSeconds(10));
    assertThat(budget.retriesAvailable()).isZero();
  }

  @Test
  void sampledClockReadsOnlyEverLowerTheBudget() {
    RatioRetryBudget sampled =
        RatioRetryBudget.builder()
            .ratio(1)
            .minRetriesPerSecond(0)
            .clockSampling(1024)
            .ticker(clock::nanoTime)
            .build();
    for (int i = 0; i < 100; i++) {
      sampled.onRequest();
    }
    assertThat(sampled.retriesAvailable()).isEqualTo(100);

    clock.advance(Duration.ofSeconds(9));
    for (int i = 0; i < 100; i++) {
      sampled.onRequest();
    }
    // Most of these went to the slot the clock was last read in, 9 s ago: they will leave the
    // window early, never late.
    assertThat(sampled.retriesAvailable()).isBetween(100L, 200L);
    clock.advance(Duration.ofSeconds(2));
    assertThat(sampled.retriesAvailable()).isLessThanOrEqualTo(100L);
  }

  @Test
  void concurrentRetriesOvershootByAtMostTheRacingThreads() {
    RatioRetryBudget budget = ratioBudget(0.1, 0);
    for (int i = 0; i < 10_000; i++) {
      budget.onRequest();
    }
    int threads = 8;
    AtomicInteger granted = new AtomicInteger();
    Concurrently.run(
        threads,
        thread -> {
          for (int i = 0; i < 1_000; i++) {
            if (budget.tryAcquireRetry()) {
              granted.incrementAndGet();
            }
          }
        });

    assertThat(granted.get()).isBetween(1_000, 1_000 + threads);
  }

  @Test
  void theTokenBucketSpendsOnRetriesAndRefillsOnSuccess() {
    TokenBucketRetryBudget budget =
        TokenBucketRetryBudget.builder().capacity(20).retryCost(5).successRefill(1).build();

    assertThat(drain(budget)).isEqualTo(4);
    budget.onSuccess(true);
    assertThat(budget.tokens()).isEqualTo(5);
    budget.onSuccess(false);
    budget.onSuccess(false);
    assertThat(budget.tokens()).isEqualTo(7);
    assertThat(budget.retriesAvailable()).as("7 tokens pay for one retry of 5").isEqualTo(1);
    for (int i = 0; i < 100; i++) {
      budget.onSuccess(true);
    }
    assertThat(budget.tokens()).isEqualTo(20);
    assertThat(budget.retriesAvailable()).isEqualTo(4);
  }

  @Test
  void theTokenBucketIsExactUnderContention() {
    TokenBucketRetryBudget budget = TokenBucketRetryBudget.withDefaults();
    AtomicInteger granted = new AtomicInteger();
    Concurrently.run(
        8,
        thread -> {
          for (int i = 0; i < 100; i++) {
            if (budget.tryAcquireRetry()) {
              granted.incrementAndGet();
            }
          }
        });

    assertThat(granted).hasValue(100);
    assertThat(budget.tokens()).isZero();
  }

  @Test
  void anExhaustedBudgetFailsTheCallFastWithAMarker() {
    RatioRetryBudget budget = ratioBudget(0, 0);
    RecordingListener listener = new RecordingListener();
    List<Long> slept = new ArrayList<>();
    Retry retry = Retry.builder().budget(budget).listener(listener).sleeper(slept::add).build();

    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      throw new IOException("dependency down");
                    }))
        .isExactlyInstanceOf(IOException.class)
        .satisfies(
            e ->
                assertThat(RetryStoppedException.in(e).orElseThrow().reason())
                    .isEqualTo(StopReason.BUDGET_EXHAUSTED));
    assertThat(slept).isEmpty();
    assertThat(listener.events).containsExactly("attempt 1", "budget refused after 1");
  }

  @Test
  void aRetryTheDeadlineForbidsSpendsNoBudget() {
    TokenBucketRetryBudget budget = TokenBucketRetryBudget.withDefaults();
    Retry retry =
        Retry.builder()
            .budget(budget)
            .ticker(clock::nanoTime)
            .deadline(Duration.ofMillis(5))
            .backoff(Backoff.fixed(Duration.ofMillis(10)))
            .build();

    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      throw new IOException("down");
                    }))
        .isInstanceOf(IOException.class);
    assertThat(budget.tokens()).isEqualTo(500);
  }

  @Test
  void successesAreReportedToTheBudget() throws Exception {
    TokenBucketRetryBudget budget = TokenBucketRetryBudget.builder().capacity(100).build();
    AtomicInteger calls = new AtomicInteger();
    Retry retry = Retry.builder().budget(budget).sleeper(nanos -> {}).build();

    retry.call(
        () -> {
          if (calls.incrementAndGet() == 1) {
            throw new IOException("once");
          }
          return "ok";
        });

    assertThat(budget.tokens()).isEqualTo(100);
  }

  @Test
  void aTokenBucketWithHugeCapacityAndRefillSaturatesAtItsCapacity() {
    TokenBucketRetryBudget budget =
        TokenBucketRetryBudget.builder()
            .capacity(Long.MAX_VALUE)
            .retryCost(Long.MAX_VALUE / 2)
            .successRefill(Long.MAX_VALUE)
            .build();

    assertThat(budget.tryAcquireRetry()).isTrue();
    budget.onSuccess(false);
    assertThat(budget.tokens()).isEqualTo(Long.MAX_VALUE);
    assertThat(budget.tryAcquireRetry()).isTrue();
    assertThat(budget.tryAcquireRetry()).isTrue();
    budget.onSuccess(true);
    budget.onSuccess(true);
    budget.onSuccess(true);
    assertThat(budget.tokens()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void aRatioBudgetAtItsLargestSettingsCountsExactly() {
    RatioRetryBudget budget =
        RatioRetryBudget.builder()
            .ratio(10)
            .window(Duration.ofHours(1))
            .minRetriesPerSecond(1_000_000)
            .clockSampling(1)
            .ticker(clock::nanoTime)
            .build();
    long floor = 3_600_000_000L;

    assertThat(budget.retriesAvailable()).isEqualTo(floor);
    for (int i = 0; i < 1_000; i++) {
      budget.onRequest();
    }
    assertThat(budget.retriesAvailable()).isEqualTo(floor + 10_000);
  }
}
