package dev.keelson.benchmarks.retry;

import dev.keelson.retry.Backoff;
import dev.keelson.retry.RatioRetryBudget;
import dev.keelson.retry.Retry;
import dev.keelson.retry.RetryBudget;
import dev.keelson.retry.RetryListener;
import dev.keelson.retry.StopReason;
import dev.keelson.testing.ManualClock;
import dev.keelson.testing.ManualScheduler;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Many clients calling one dependency that fails completely for a while and then recovers,
 * simulated in virtual time with the real {@link Retry} engine (its asynchronous path on a {@link
 * ManualScheduler}), so every run with the same seed gives the same figures.
 *
 * <p>The dependency answers after {@link Scenario#latency}; when the outage starts it resets every
 * connection in flight at once (the synchronized failure that makes un-jittered retries come back
 * as waves), and during the outage it refuses calls within a millisecond.
 */
public final class StormSimulation {

  private static final long BUCKET_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  /**
   * The world the clients live in.
   *
   * @param clients how many clients, each with its own policy (and budget)
   * @param requestsPerSecond each client's request rate, evenly spaced from a random phase
   * @param healthy time before the outage
   * @param outage how long the dependency fails everything
   * @param after time after recovery
   * @param latency the dependency's answer time when healthy
   * @param seed for phases and jitter
   */
  public record Scenario(
      int clients,
      double requestsPerSecond,
      Duration healthy,
      Duration outage,
      Duration after,
      Duration latency,
      long seed) {

    public static Scenario standard() {
      return new Scenario(
          100,
          10,
          Duration.ofSeconds(20),
          Duration.ofSeconds(20),
          Duration.ofSeconds(20),
          Duration.ofMillis(200),
          20261123L);
    }
  }

  /**
   * One client policy to try.
   *
   * @param name for the report
   * @param backoff the strategy
   * @param budget makes each client's budget, or null for none
   */
  public record Policy(String name, Backoff backoff, @Nullable Supplier<RetryBudget> budget) {}

  /**
   * What the dependency went through.
   *
   * @param policy the policy
   * @param amplification calls reaching the dependency during the outage per first attempt
   * @param retryPeakToMean retries in the busiest 10 ms of the outage over the average 10 ms
   * @param drain from recovery until the last call begun before it ended
   * @param budgetRefusals retries the budgets refused
   * @param callsFailed calls that ended in failure
   * @param calls calls made
   */
  public record Result(
      Policy policy,
      double amplification,
      double retryPeakToMean,
      Duration drain,
      long budgetRefusals,
      long callsFailed,
      long calls) {}

  private StormSimulation() {}

  /** The policies the report compares: each jitter strategy, without and with a budget. */
  public static List<Policy> standardPolicies(ManualClock clock) {
    Duration base = Duration.ofMillis(100);
    Duration cap = Duration.ofSeconds(20);
    List<Policy> policies = new ArrayList<>();
    for (boolean budgeted : new boolean[] {false, true}) {
      Supplier<RetryBudget> budget =
          budgeted
              ? () -> RatioRetryBudget.builder().ticker(clock::nanoTime).clockSampling(1).build()
              : null;
      String suffix = budgeted ? ", ratio budget (10% + 1/s)" : ", no budget";
      policies.add(
          new Policy("exponential, no jitter" + suffix, Backoff.exponential(base, cap), budget));
      policies.add(new Policy("full jitter" + suffix, Backoff.fullJitter(base, cap), budget));
      policies.add(new Policy("equal jitter" + suffix, Backoff.equalJitter(base, cap), budget));
      policies.add(
          new Policy(
              "decorrelated jitter" + suffix, Backoff.decorrelatedJitter(base, cap), budget));
    }
    return policies;
  }

  /** Runs one policy through the scenario on the given clock, which must start unused. */
  public static Result run(Scenario scenario, Policy policy, ManualClock clock) {
    return new World(scenario, policy, clock).run();
  }

  /** One run: the dependency, the clients, and what they recorded. */
  private static final class World {
    private final Scenario scenario;
    private final Policy policy;
    private final ManualClock clock;
    private final ManualScheduler scheduler;
    private final long outageStart;
    private final long outageEnd;
    private final long end;
    private final Set<CompletableFuture<String>> inFlight = new HashSet<>();
    private final List<Long> hits = new ArrayList<>();
    private final List<Long> firstAttempts = new ArrayList<>();
    private final List<Long> retries = new ArrayList<>();
    private long budgetRefusals;
    private long callsFailed;
    private long calls;
    private long lastOutageCallEnd;

    World(Scenario scenario, Policy policy, ManualClock clock) {
      this.scenario = scenario;
      this.policy = policy;
      this.clock = clock;
      this.scheduler = new ManualScheduler(clock);
      long start = clock.nanoTime();
      this.outageStart = start + scenario.healthy().toNanos();
      this.outageEnd = outageStart + scenario.outage().toNanos();
      this.end = outageEnd + scenario.after().toNanos();
    }

    Result run() {
      SplittableRandom phases = new SplittableRandom(scenario.seed());
      long period = (long) (1e9 / scenario.requestsPerSecond());
      for (int c = 0; c < scenario.clients(); c++) {
        Retry retry = clientPolicy(c);
        long phase = phases.nextLong(period);
        scheduler.schedule(() -> request(retry, period), phase, TimeUnit.NANOSECONDS);
      }
      scheduler.schedule(
          this::resetEverything, outageStart - clock.nanoTime(), TimeUnit.NANOSECONDS);
      while (scheduler.runNext()) {
        // Virtual time moves from event to event until every call has ended.
      }
      scheduler.shutdown();
      long inOutage = count(hits, outageStart, outageEnd);
      long firstInOutage = count(firstAttempts, outageStart, outageEnd);
      return new Result(
          policy,
          (double) inOutage / Math.max(1, firstInOutage),
          peakToMean(retries, outageStart, outageEnd),
          Duration.ofNanos(Math.max(0, lastOutageCallEnd - outageEnd)),
          budgetRefusals,
          callsFailed,
          calls);
    }

    private Retry clientPolicy(int client) {
      Retry.Builder builder =
          Retry.builder()
              .maxAttempts(3)
              .backoff(policy.backoff())
              .ticker(clock::nanoTime)
              .random(new SplittableRandom(scenario.seed() * 1_000 + client))
              .listener(
                  new RetryListener() {
                    @Override
                    public void onAttempt(String retry, int attempt) {
                      if (attempt > 1) {
                        retries.add(clock.nanoTime());
                      }
                    }

                    @Override
                    public void onBudgetRefused(
                        String retry, int attempts, @Nullable Throwable failure) {
                      budgetRefusals++;
                    }

                    @Override
                    public void onGaveUp(
                        String retry, StopReason reason, int attempts, @Nullable Throwable f) {
                      // counted through the call's outcome
                    }
                  });
      Supplier<RetryBudget> budget = policy.budget();
      return budget == null
          ? builder.withoutBudget().build()
          : builder.budget(budget.get()).build();
    }

    private void request(Retry retry, long period) {
      long begun = clock.nanoTime();
      calls++;
      firstAttempts.add(begun);
      retry
          .callAsync(this::dependency, scheduler)
          .whenComplete(
              (ok, failure) -> {
                if (failure != null) {
                  callsFailed++;
                }
                if (begun < outageEnd) {
                  lastOutageCallEnd = Math.max(lastOutageCallEnd, clock.nanoTime());
                }
              });
      if (begun + period < end) {
        scheduler.schedule(() -> request(retry, period), period, TimeUnit.NANOSECONDS);
      }
    }

    /** The dependency: slow but fine when healthy, refusing at once during the outage. */
    private CompletableFuture<String> dependency() {
      long now = clock.nanoTime();
      hits.add(now);
      CompletableFuture<String> answer = new CompletableFuture<>();
      boolean down = now >= outageStart && now < outageEnd;
      Duration delay = down ? Duration.ofMillis(1) : scenario.latency();
      inFlight.add(answer);
      scheduler.schedule(
          () -> {
            inFlight.remove(answer);
            if (down) {
              answer.completeExceptionally(new IOException("connection refused"));
            } else {
              answer.complete("ok");
            }
          },
          delay.toNanos(),
          TimeUnit.NANOSECONDS);
      return answer;
    }

    /** The outage begins: every connection in flight is reset at the same instant. */
    private void resetEverything() {
      for (CompletableFuture<String> call : List.copyOf(inFlight)) {
        call.completeExceptionally(new IOException("connection reset"));
      }
      inFlight.clear();
    }

    private static long count(List<Long> times, long from, long to) {
      return times.stream().filter(t -> t >= from && t < to).count();
    }

    private static double peakToMean(List<Long> times, long from, long to) {
      int buckets = (int) ((to - from) / BUCKET_NANOS);
      long[] perBucket = new long[buckets];
      long total = 0;
      for (long time : times) {
        if (time >= from && time < to) {
          perBucket[(int) ((time - from) / BUCKET_NANOS)]++;
          total++;
        }
      }
      if (total == 0) {
        return 0;
      }
      long peak = 0;
      for (long n : perBucket) {
        peak = Math.max(peak, n);
      }
      return peak / ((double) total / buckets);
    }
  }
}
