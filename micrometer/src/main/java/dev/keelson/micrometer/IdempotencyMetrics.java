package dev.keelson.micrometer;

import dev.keelson.idempotency.IdempotencyKey;
import dev.keelson.idempotency.IdempotencyListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Meters for idempotent executors, as their {@link IdempotencyListener}: give it to each {@code
 * Idempotency} builder ({@code .listener(metrics)}), and every executor's requests are counted
 * under its name, never a key or namespace. Meters (see the module README for the Prometheus
 * names):
 *
 * <ul>
 *   <li>{@code keelson.idempotency.requests} (counter; {@code name}, {@code outcome}: {@code
 *       executed}, {@code replayed}, {@code in_progress}, {@code mismatch} or {@code
 *       completed_without_result}, one per request);
 *   <li>{@code keelson.idempotency.store.errors} (counter of requests the store failed, refused or
 *       left unstored; {@code name});
 *   <li>{@code keelson.idempotency.takeovers} (counter of keys taken over from an owner whose lease
 *       ran out; {@code name});
 *   <li>{@code keelson.idempotency.stale.completions} (counter of results not stored because
 *       another owner had taken over; {@code name});
 *   <li>{@code keelson.idempotency.results.not.kept} (counter of executions whose result was not
 *       kept, too large say; {@code name}).
 * </ul>
 */
public final class IdempotencyMetrics implements IdempotencyListener {

  private final ByName<ExecutorMeters> executors;

  private IdempotencyMetrics(Builder builder) {
    Meters meters = builder.meters();
    this.executors = new ByName<>(name -> new ExecutorMeters(meters, name));
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
  public static IdempotencyMetrics on(MeterRegistry registry) {
    return builder(registry).build();
  }

  @Override
  public void onExecuted(String idempotency, IdempotencyKey key) {
    executors.of(idempotency).executed.increment();
  }

  @Override
  public void onReplayed(String idempotency, IdempotencyKey key, boolean fromLocalCache) {
    executors.of(idempotency).replayed.increment();
  }

  @Override
  public void onInProgress(String idempotency, IdempotencyKey key) {
    executors.of(idempotency).inProgress.increment();
  }

  @Override
  public void onMismatch(String idempotency, IdempotencyKey key) {
    executors.of(idempotency).mismatch.increment();
  }

  @Override
  public void onCompletedWithoutResult(String idempotency, IdempotencyKey key) {
    executors.of(idempotency).completedWithoutResult.increment();
  }

  @Override
  public void onStoreError(String idempotency, IdempotencyKey key, RuntimeException error) {
    executors.of(idempotency).storeErrors.increment();
  }

  @Override
  public void onLeaseExpired(String idempotency, IdempotencyKey key) {
    executors.of(idempotency).takeovers.increment();
  }

  @Override
  public void onStaleCompletion(String idempotency, IdempotencyKey key) {
    executors.of(idempotency).staleCompletions.increment();
  }

  @Override
  public void onResultNotKept(String idempotency, IdempotencyKey key, String reason) {
    executors.of(idempotency).resultsNotKept.increment();
  }

  @Override
  public String toString() {
    return "IdempotencyMetrics";
  }

  /** The meters of one executor, registered when its name is first heard. */
  private static final class ExecutorMeters {
    final Counter executed;
    final Counter replayed;
    final Counter inProgress;
    final Counter mismatch;
    final Counter completedWithoutResult;
    final Counter storeErrors;
    final Counter takeovers;
    final Counter staleCompletions;
    final Counter resultsNotKept;

    ExecutorMeters(Meters meters, String name) {
      executed = request(meters, name, "executed");
      replayed = request(meters, name, "replayed");
      inProgress = request(meters, name, "in_progress");
      mismatch = request(meters, name, "mismatch");
      completedWithoutResult = request(meters, name, "completed_without_result");
      storeErrors =
          meters.counter(
              "keelson.idempotency.store.errors",
              "Requests the store failed: refused, or their result not stored",
              name);
      takeovers =
          meters.counter(
              "keelson.idempotency.takeovers",
              "Keys taken over from an owner whose lease ran out",
              name);
      staleCompletions =
          meters.counter(
              "keelson.idempotency.stale.completions",
              "Results not stored because another owner had taken the key over",
              name);
      resultsNotKept =
          meters.counter(
              "keelson.idempotency.results.not.kept", "Executions whose result was not kept", name);
    }

    private static Counter request(Meters meters, String name, String outcome) {
      return meters.counter(
          "keelson.idempotency.requests",
          "Idempotent requests, by outcome",
          name,
          Meters.OUTCOME,
          outcome);
    }
  }

  /** Settings of an {@link IdempotencyMetrics}: those every binder has. */
  public static final class Builder extends MetricsBuilder<Builder, IdempotencyMetrics> {
    private Builder(MeterRegistry registry) {
      super(registry, IdempotencyMetrics::new);
    }

    @Override
    Builder self() {
      return this;
    }
  }
}
