package dev.keelson.micrometer;

import dev.keelson.core.Ticker;
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
 *       (by an outbox, in the caller's transaction, so a rolled-back append counts too), {@code
 *       published}, {@code retried} (a failed publish, due again after a backoff) or {@code dead}
 *       (moved to the dead letters), by a relay);
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

  /**
   * How long a failed round keeps a relay {@link HealthStatus#DOWN} without a success since: a
   * relay tries again after its poll interval (at most a minute), so one that keeps failing stays
   * down, and one that failed once and then idles without sampling does not stay down for good.
   */
  static final Duration FAILED_ROUND_WINDOW = Duration.ofMinutes(2);

  private final ByName<Counter> appended;
  private final ByName<RelayMeters> relays;
  private final long maxPending;
  private final Duration maxLag;
  private final Ticker ticker;

  private OutboxMetrics(Builder builder) {
    Meters meters = builder.meters();
    this.appended = new ByName<>(name -> message(meters, name, "appended"));
    this.relays = new ByName<>(name -> new RelayMeters(meters, name));
    this.maxPending = builder.maxPending;
    this.maxLag = builder.maxLag;
    this.ticker = builder.ticker();
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
    appended.of(outbox).increment(messages);
  }

  @Override
  public void onPublished(
      String relay, OutboxMessage message, int attempts, Duration sinceCreated) {
    RelayMeters meters = relays.of(relay);
    meters.published.increment();
    // The appender's clock and the relay's may disagree: a message "from the future" took no time.
    meters.publishLatency.record(sinceCreated.isNegative() ? Duration.ZERO : sinceCreated);
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
    meters.lastErrorAt = ticker.nanoTime();
    meters.lastError = Health.text(error);
  }

  @Override
  public void onBacklog(String relay, Backlog backlog) {
    RelayMeters meters = relays.of(relay);
    meters.sampledAt = ticker.nanoTime();
    meters.backlog = backlog;
    meters.lastError = null; // the database answered
  }

  /**
   * The health of every relay heard so far: {@link HealthStatus#DOWN} when its last round failed
   * less than two minutes ago and neither a batch nor a backlog sample has succeeded since; {@link
   * HealthStatus#DEGRADED} when its last sample shows more pending messages than {@link
   * Builder#maxPending}, an oldest pending message older than {@link Builder#maxLag}, or dead
   * letters; else {@link HealthStatus#UP}. The details give the sample's age: a relay that samples
   * no more (closed, or its database down) shows its last figures.
   *
   * @return one per relay, by name
   */
  public List<Health> health() {
    List<Health> all = new ArrayList<>();
    long now = ticker.nanoTime();
    for (Map.Entry<String, RelayMeters> relay : relays.all()) {
      all.add(health(relay.getKey(), relay.getValue(), now));
    }
    return all;
  }

  private Health health(String name, RelayMeters meters, long now) {
    Map<String, Object> details = new LinkedHashMap<>();
    HealthStatus status = HealthStatus.UP;
    Backlog backlog = meters.backlog;
    if (backlog != null) {
      details.put("pending", backlog.pending());
      details.put("oldestPendingAge", backlog.oldestPendingAge().toString());
      details.put("deadLetters", backlog.dead());
      details.put("sampleAge", Duration.ofNanos(now - meters.sampledAt).toString());
      if (backlog.pending() > maxPending || backlog.oldestPendingAge().compareTo(maxLag) > 0) {
        status = HealthStatus.DEGRADED;
        details.put("reason", "backlog above its threshold (" + maxPending + ", " + maxLag + ")");
      } else if (backlog.dead() > 0) {
        status = HealthStatus.DEGRADED;
        details.put("reason", "dead letters are waiting to be replayed");
      }
    }
    String error = meters.lastError;
    if (error != null && now - meters.lastErrorAt < FAILED_ROUND_WINDOW.toNanos()) {
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

  private static Counter message(Meters meters, String name, String outcome) {
    return meters.counter(
        "keelson.outbox.messages", "Outbox messages, by event", name, Meters.OUTCOME, outcome);
  }

  /** The meters of one relay, registered when its name is first heard. */
  private static final class RelayMeters {
    final Counter published;
    final Counter retried;
    final Counter dead;
    final Timer publishLatency;
    final Timer batches;
    final DistributionSummary batchSize;
    final Counter relayErrors;
    volatile @Nullable Backlog backlog;
    volatile long sampledAt;
    volatile @Nullable String lastError;
    volatile long lastErrorAt;

    RelayMeters(Meters meters, String name) {
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

    double sampled(ToDoubleFunction<Backlog> figure) {
      Backlog sample = backlog;
      return sample == null ? Double.NaN : figure.applyAsDouble(sample);
    }
  }

  /** Settings of an {@link OutboxMetrics}. */
  public static final class Builder extends HealthWindowBuilder<Builder, OutboxMetrics> {
    private long maxPending = 10_000;
    private Duration maxLag = Duration.ofMinutes(5);

    private Builder(MeterRegistry registry) {
      super(registry, OutboxMetrics::new);
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
  }
}
