package dev.keelson.micrometer;

import dev.keelson.core.internal.Checks;
import dev.keelson.outbox.Backlog;
import dev.keelson.outbox.OutboxListener;
import dev.keelson.outbox.OutboxMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * Meters for outboxes and their relays, as their {@link OutboxListener}: give it to the {@code
 * Outbox} builder (appends) and to each relay's builder (everything else), and they are counted
 * under the outbox's and the relay's names (both the table, by default). Meters (see the module
 * README for the Prometheus names):
 *
 * <ul>
 *   <li>{@code keelson.outbox.messages} (counter; {@code name}, {@code outcome}: {@code appended}
 *       (in the caller's transaction, so a rolled-back append counts too), {@code published},
 *       {@code retried} (a failed publish, due again after a backoff) or {@code dead} (moved to the
 *       dead letters));
 *   <li>{@code keelson.outbox.publish.latency} (timer, from a message's creation to its delivery;
 *       {@code name});
 *   <li>{@code keelson.outbox.batches} (timer, from a round's claim to its recorded results; {@code
 *       name}) and {@code keelson.outbox.batch.size} (summary, messages per batch);
 *   <li>{@code keelson.outbox.relay.errors} (counter of failed rounds; {@code name});
 *   <li>{@code keelson.outbox.pending}, {@code keelson.outbox.pending.oldest.age} (seconds) and
 *       {@code keelson.outbox.dead.letters} (gauges; {@code name}): the backlog as the relay last
 *       sampled it ({@code OutboxRelay.Builder.backlogInterval}), so a scrape costs no query. They
 *       read NaN until the first sample.
 * </ul>
 */
public final class OutboxMetrics implements OutboxListener {

  private final ByName<RelayMeters> relays;
  private final long maxPending;
  private final Duration maxLag;

  private OutboxMetrics(Builder builder) {
    Meters meters = builder.meters();
    this.relays = new ByName<>(name -> new RelayMeters(meters, name));
    this.maxPending = builder.maxPending;
    this.maxLag = builder.maxLag;
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
  public static OutboxMetrics on(MeterRegistry registry) {
    return builder(registry).build();
  }

  @Override
  public void onAppended(String outbox, int messages) {
    relays.of(outbox).appended.increment(messages);
  }

  @Override
  public void onPublished(
      String relay, OutboxMessage message, int attempts, Duration sinceCreated) {
    RelayMeters meters = relays.of(relay);
    meters.published.increment();
    meters.publishLatency.record(sinceCreated);
  }

  @Override
  public void onRetryScheduled(
      String relay, OutboxMessage message, int attempts, String error, Duration delay) {
    relays.of(relay).retried.increment();
  }

  @Override
  public void onDead(String relay, OutboxMessage message, int attempts, String error) {
    relays.of(relay).dead.increment();
  }

  @Override
  public void onBatch(String relay, int size, Duration took) {
    RelayMeters meters = relays.of(relay);
    meters.batches.record(took);
    meters.batchSize.record(size);
    meters.lastError = null;
  }

  @Override
  public void onRelayError(String relay, Exception error) {
    RelayMeters meters = relays.of(relay);
    meters.relayErrors.increment();
    meters.lastError = String.valueOf(error);
  }

  @Override
  public void onBacklog(String relay, Backlog backlog) {
    RelayMeters meters = relays.of(relay);
    meters.backlog = backlog;
    meters.lastError = null; // the database answered
  }

  /**
   * The health of every relay heard so far: {@link HealthStatus#DOWN} when its last round failed
   * (until a batch or a backlog sample succeeds); {@link HealthStatus#DEGRADED} when its last
   * sample shows more pending messages than {@link Builder#maxPending}, an oldest pending message
   * older than {@link Builder#maxLag}, or dead letters; else {@link HealthStatus#UP}.
   *
   * @return one per relay (and per outbox whose appends were heard), by name
   */
  public List<Health> health() {
    List<Health> all = new ArrayList<>();
    for (Map.Entry<String, RelayMeters> relay : relays.all()) {
      all.add(health(relay.getKey(), relay.getValue()));
    }
    return all;
  }

  private Health health(String name, RelayMeters meters) {
    Map<String, Object> details = new LinkedHashMap<>();
    HealthStatus status = HealthStatus.UP;
    Backlog backlog = meters.backlog;
    if (backlog != null) {
      details.put("pending", backlog.pending());
      details.put("oldestPendingAge", backlog.oldestPendingAge().toString());
      details.put("deadLetters", backlog.dead());
      if (backlog.pending() > maxPending || backlog.oldestPendingAge().compareTo(maxLag) > 0) {
        status = HealthStatus.DEGRADED;
        details.put("reason", "backlog above its threshold (" + maxPending + ", " + maxLag + ")");
      } else if (backlog.dead() > 0) {
        status = HealthStatus.DEGRADED;
        details.put("reason", "dead letters are waiting to be replayed");
      }
    }
    String error = meters.lastError;
    if (error != null) {
      status = HealthStatus.DOWN;
      details.put("reason", "the last round failed");
      details.put("error", error);
    }
    return new Health("outbox", name, status, details);
  }

  @Override
  public String toString() {
    return "OutboxMetrics";
  }

  /** The meters of one relay (or outbox), registered when its name is first heard. */
  private static final class RelayMeters {
    final Counter appended;
    final Counter published;
    final Counter retried;
    final Counter dead;
    final Timer publishLatency;
    final Timer batches;
    final DistributionSummary batchSize;
    final Counter relayErrors;
    volatile @Nullable Backlog backlog;
    volatile @Nullable String lastError;

    RelayMeters(Meters meters, String name) {
      appended = message(meters, name, "appended");
      published = message(meters, name, "published");
      retried = message(meters, name, "retried");
      dead = message(meters, name, "dead");
      publishLatency =
          meters.timer(
              "keelson.outbox.publish.latency", "From a message's creation to its delivery", name);
      batches =
          meters.timer(
              "keelson.outbox.batches", "From a round's claim to its recorded results", name);
      batchSize =
          meters.summary("keelson.outbox.batch.size", "Messages per batch", "messages", name);
      relayErrors = meters.counter("keelson.outbox.relay.errors", "Relay rounds that failed", name);
      meters.gauge(
          "keelson.outbox.pending",
          "Messages not yet published, as the relay last sampled",
          "messages",
          name,
          this,
          m -> m.sampled(Backlog::pending));
      meters.gauge(
          "keelson.outbox.pending.oldest.age",
          "Age of the oldest message not yet published, as the relay last sampled",
          "seconds",
          name,
          this,
          m -> m.sampled(b -> b.oldestPendingAge().toNanos() / 1e9));
      meters.gauge(
          "keelson.outbox.dead.letters",
          "Messages in the dead letters, as the relay last sampled",
          "messages",
          name,
          this,
          m -> m.sampled(Backlog::dead));
    }

    private static Counter message(Meters meters, String name, String outcome) {
      return meters.counter(
          "keelson.outbox.messages", "Outbox messages, by event", name, Meters.OUTCOME, outcome);
    }

    double sampled(ToDoubleFunction<Backlog> figure) {
      Backlog sample = backlog;
      return sample == null ? Double.NaN : figure.applyAsDouble(sample);
    }
  }

  /** Settings of an {@link OutboxMetrics}. */
  public static final class Builder extends MetricsBuilder<Builder> {
    private long maxPending = 10_000;
    private Duration maxLag = Duration.ofMinutes(5);

    private Builder(MeterRegistry registry) {
      super(registry);
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * @param maxPending pending messages above which a relay's health is {@link
     *     HealthStatus#DEGRADED} (default 10,000; at least 0)
     * @return this builder
     */
    public Builder maxPending(long maxPending) {
      this.maxPending = Checks.atLeast("maxPending", maxPending, 0);
      return this;
    }

    /**
     * @param maxLag the age of the oldest pending message above which a relay's health is {@link
     *     HealthStatus#DEGRADED} (default 5 minutes; positive)
     * @return this builder
     */
    public Builder maxLag(Duration maxLag) {
      this.maxLag = Checks.positive("maxLag", maxLag);
      return this;
    }

    /**
     * @return the binder
     */
    public OutboxMetrics build() {
      return new OutboxMetrics(this);
    }
  }
}
