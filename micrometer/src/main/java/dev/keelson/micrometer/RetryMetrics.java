package dev.keelson.micrometer;

import dev.keelson.core.internal.Names;
import dev.keelson.retry.RetryBudget;
import dev.keelson.retry.RetryListener;
import dev.keelson.retry.StopReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Meters for retry policies, as their {@link RetryListener}: give it to each policy's builder
 * ({@code Retry.builder().name("payments").listener(metrics)}), and every policy's calls are
 * counted under its name. Meters (see the module README for the Prometheus names):
 *
 * <ul>
 *   <li>{@code keelson.retry.calls} (counter; {@code name}, {@code outcome}: {@code success} or why
 *       the call gave up, one of {@link StopReason} in lower case: {@code attempts_exhausted},
 *       {@code budget_exhausted}, {@code deadline}, ...);
 *   <li>{@code keelson.retry.attempts} (counter of the attempts the calls made; {@code name},
 *       {@code outcome}: {@code success} or {@code failure}, as the call ended): divided by the
 *       calls, the attempts per call (a counter, not a summary: it costs a successful call a third
 *       as much);
 *   <li>{@code keelson.retry.retries} (counter of retries scheduled; {@code name}); the retries the
 *       budget refused are the calls that ended {@code budget_exhausted};
 *   <li>{@code keelson.retry.budget.available} (gauge, retries the budget would grant now; {@code
 *       name}), for each budget given to {@link #gaugeBudget}.
 * </ul>
 */
public final class RetryMetrics implements RetryListener {

  private final Meters meters;
  private final ByName<PolicyMeters> policies;

  private RetryMetrics(Builder builder) {
    this.meters = builder.meters();
    this.policies = new ByName<>(name -> new PolicyMeters(meters, name));
  }

  /**
   * @param registry where the meters go
   * @return a builder
   */
  public static Builder builder(MeterRegistry registry) {
    return new Builder(registry);
  }

  /**
   * @param registry where the meters go
   * @return a binder with every default (see {@link Builder})
   */
  public static RetryMetrics on(MeterRegistry registry) {
    return builder(registry).build();
  }

  /**
   * Shows a budget's level as the gauge {@code keelson.retry.budget.available}. The gauge holds the
   * budget weakly: it reads NaN once the budget is gone. A second call for one name replaces the
   * gauge (it shows the budget given last).
   *
   * @param name the {@code name} tag: the policy's name, or the dependency's when policies share it
   * @param budget the budget (its {@link RetryBudget#retriesAvailable()})
   * @return this binder
   */
  public RetryMetrics gaugeBudget(String name, RetryBudget budget) {
    Objects.requireNonNull(budget, "budget");
    meters.weakGauge(
        "keelson.retry.budget.available",
        "Retries the budget would grant now",
        "retries",
        Names.check(name),
        budget,
        RetryBudget::retriesAvailable);
    return this;
  }

  @Override
  public void onRetryScheduled(
      String retry, int nextAttempt, long delayNanos, @Nullable Throwable failure) {
    policies.of(retry).retries.increment();
  }

  @Override
  public void onBudgetRefused(String retry, int attempts, @Nullable Throwable failure) {
    policies.of(retry).gaveUp(StopReason.BUDGET_EXHAUSTED, attempts);
  }

  @Override
  public void onDeadlineReached(String retry, int attempts, @Nullable Throwable failure) {
    policies.of(retry).gaveUp(StopReason.DEADLINE, attempts);
  }

  @Override
  public void onGaveUp(String retry, StopReason reason, int attempts, @Nullable Throwable failure) {
    policies.of(retry).gaveUp(reason, attempts);
  }

  @Override
  public void onSucceeded(String retry, int attempts) {
    PolicyMeters policy = policies.of(retry);
    policy.succeeded.increment();
    policy.attemptsToSucceed.increment(attempts);
  }

  @Override
  public String toString() {
    return "RetryMetrics";
  }

  /** The meters of one policy, registered when its name is first heard. */
  private static final class PolicyMeters {
    final Counter succeeded;
    final Counter[] gaveUp = new Counter[StopReason.values().length];
    final Counter attemptsToSucceed;
    final Counter attemptsToFail;
    final Counter retries;

    PolicyMeters(Meters meters, String name) {
      String calls = "Calls through the retry policy, by how they ended";
      succeeded = meters.counter("keelson.retry.calls", calls, name, Meters.OUTCOME, "success");
      for (StopReason reason : StopReason.values()) {
        gaveUp[reason.ordinal()] =
            meters.counter(
                "keelson.retry.calls",
                calls,
                name,
                Meters.OUTCOME,
                reason.name().toLowerCase(Locale.ROOT));
      }
      String attempts = "Attempts the calls made, by whether they succeeded";
      attemptsToSucceed =
          meters.counter("keelson.retry.attempts", attempts, name, Meters.OUTCOME, "success");
      attemptsToFail =
          meters.counter("keelson.retry.attempts", attempts, name, Meters.OUTCOME, "failure");
      retries = meters.counter("keelson.retry.retries", "Retries scheduled", name);
    }

    void gaveUp(StopReason reason, int attempts) {
      gaveUp[reason.ordinal()].increment();
      attemptsToFail.increment(attempts);
    }
  }

  /** Settings of a {@link RetryMetrics}: those every binder has. */
  public static final class Builder extends MetricsBuilder<Builder, RetryMetrics> {
    private Builder(MeterRegistry registry) {
      super(registry, RetryMetrics::new);
    }

    @Override
    Builder self() {
      return this;
    }
  }
}
