package dev.keelson.micrometer;

import static dev.keelson.micrometer.Eventually.await;
import static dev.keelson.micrometer.Meter.count;
import static dev.keelson.micrometer.Meter.find;
import static dev.keelson.micrometer.Meter.gauge;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.outbox.InMemoryPublisher;
import dev.keelson.outbox.Outbox;
import dev.keelson.outbox.OutboxMessage;
import dev.keelson.outbox.OutboxRelay;
import dev.keelson.outbox.PublishResult;
import dev.keelson.testing.FaultProxy;
import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.WithPostgres;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** An outbox on PostgreSQL and its relay through appends, deliveries and a dead letter. */
@WithPostgres
class OutboxMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final OutboxMetrics metrics = OutboxMetrics.on(registry);
  private final PostgresDatabase database;
  private final Outbox outbox;
  private final InMemoryPublisher publisher = InMemoryPublisher.withDefaults();

  OutboxMetricsTest(PostgresDatabase database) {
    this.database = database;
    outbox =
        Outbox.builder()
            .table("outbox_" + UUID.randomUUID().toString().replace("-", ""))
            .name("orders")
            .listener(metrics)
            .build();
    outbox.createSchema(database.dataSource());
    // A message of key "poison" is refused by the receiver: dead at once.
    publisher.setRule(
        message ->
            message.key().equals("poison")
                ? PublishResult.reject("422 unprocessable")
                : PublishResult.delivered());
  }

  private OutboxRelay.Builder relay(DataSource dataSource) {
    return OutboxRelay.builder(dataSource, outbox, publisher)
        .name("orders")
        .pollInterval(Duration.ofMillis(50))
        .backlogInterval(Duration.ofMillis(100))
        .listener(metrics);
  }

  @Test
  void appendsDeliveriesAndDeadLettersAreCountedAndTheBacklogIsSampled() throws Exception {
    append(message("a"), message("b"), message("poison"));
    append(message("c"), message("d"));

    assertThat(messages("appended")).isEqualTo(5);
    assertThat(registry.find("keelson.outbox.messages").tag("outcome", "published").counter())
        .as("no relay heard yet")
        .isNull();

    try (OutboxRelay relay = relay(database.dataSource()).build()) {
      relay.start();
      await("every message handled", () -> messages("published") + messages("dead") == 5);
      await("the dead letter sampled", () -> gaugeOrNan("keelson.outbox.dead.letters") == 1);
    }

    assertThat(messages("published")).isEqualTo(4);
    assertThat(messages("dead")).isEqualTo(1);
    assertThat(messages("retried")).isZero();
    Timer latency = find(registry, "keelson.outbox.publish.latency", "name", "orders").timer();
    assertThat(latency.count()).isEqualTo(4);
    assertThat(latency.max(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
    DistributionSummary batchSize =
        find(registry, "keelson.outbox.batch.size", "name", "orders").summary();
    assertThat(batchSize.totalAmount()).as("every message was in a batch").isEqualTo(5);
    assertThat(gauge(registry, "keelson.outbox.pending", "name", "orders")).isZero();
    assertThat(gauge(registry, "keelson.outbox.pending.oldest.age", "name", "orders")).isZero();
    assertThat(metrics.health())
        .singleElement()
        .satisfies(
            health -> {
              assertThat(health.component()).isEqualTo("outbox");
              assertThat(health.status()).isEqualTo(HealthStatus.DEGRADED);
              assertThat(health.details())
                  .containsEntry("deadLetters", 1L)
                  .containsEntry("reason", "dead letters are waiting to be replayed");
            });
  }

  @Test
  void aBacklogAboveItsThresholdDegradesAndAFailingRelayIsDown() throws Exception {
    OutboxMetrics strict =
        OutboxMetrics.builder(registry).maxPending(1).maxLag(Duration.ofHours(1)).build();
    FaultProxy proxy = FaultProxy.start(database.host(), database.port());
    PGSimpleDataSource throughProxy = (PGSimpleDataSource) database.dataSourceThrough(proxy);
    throughProxy.setConnectTimeout(1);
    throughProxy.setSocketTimeout(1);
    publisher.setRule(message -> PublishResult.retry("503", Duration.ofHours(1)));
    append(message("x"), message("y"));

    try (proxy;
        OutboxRelay relay = relay(throughProxy).name("strict").listener(strict).build()) {
      relay.start();
      await("two pending sampled", () -> pending(strict) == 2);
      assertThat(strict.health())
          .singleElement()
          .satisfies(
              health -> {
                assertThat(health.status()).isEqualTo(HealthStatus.DEGRADED);
                assertThat((String) health.details().get("reason")).startsWith("backlog above");
              });

      proxy.blackhole();
      await(
          "a failed round",
          () -> count(registry, "keelson.outbox.relay.errors", "name", "strict") >= 1);
      assertThat(strict.health())
          .singleElement()
          .satisfies(
              health -> {
                assertThat(health.status()).isEqualTo(HealthStatus.DOWN);
                assertThat(health.details()).containsKey("error");
              });

      proxy.heal();
      await("sampled again", () -> strict.health().get(0).status() == HealthStatus.DEGRADED);
    }
    assertThat(count(registry, "keelson.outbox.messages", "name", "strict", "outcome", "retried"))
        .isEqualTo(2);
  }

  @Test
  void aFailedRoundIsDownUntilASuccessOrTwoMinutesWithoutAnother() {
    AtomicLong now = new AtomicLong();
    OutboxMetrics binder = OutboxMetrics.builder(registry).ticker(now::get).build();
    binder.onRelayError("r", new java.sql.SQLException("connection refused"));
    assertThat(binder.health())
        .singleElement()
        .extracting(Health::status)
        .isEqualTo(HealthStatus.DOWN);

    binder.onBatch("r", 0, Duration.ofMillis(3));
    assertThat(binder.health().get(0).status())
        .as("a batch went through")
        .isEqualTo(HealthStatus.UP);

    binder.onRelayError("r", new java.sql.SQLException("connection refused"));
    now.addAndGet(Duration.ofMinutes(2).toNanos());
    assertThat(binder.health().get(0).status())
        .as("no failure reported for two minutes: the relay is idle, not failing")
        .isEqualTo(HealthStatus.UP);
  }

  @Test
  void anOutboxThatOnlyAppendsHasNoRelayMetersNorHealth() throws Exception {
    append(message("a"));

    assertThat(messages("appended")).isEqualTo(1);
    assertThat(registry.find("keelson.outbox.pending").gauges()).isEmpty();
    assertThat(metrics.health()).isEmpty();
  }

  private double pending(OutboxMetrics binder) {
    return binder.health().isEmpty() || !binder.health().get(0).details().containsKey("pending")
        ? -1
        : ((Long) binder.health().get(0).details().get("pending"));
  }

  /** The count so far; zero before the meter is registered (a relay's, at its first event). */
  private double messages(String outcome) {
    Counter counter =
        registry
            .find("keelson.outbox.messages")
            .tags("name", "orders", "outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  private double gaugeOrNan(String meter) {
    return gauge(registry, meter, "name", "orders");
  }

  private static OutboxMessage message(String key) {
    return OutboxMessage.of("orders", key, ("order " + key).getBytes(StandardCharsets.UTF_8));
  }

  private void append(OutboxMessage... messages) throws SQLException {
    try (Connection connection = database.dataSource().getConnection()) {
      connection.setAutoCommit(false);
      outbox.appendAll(connection, List.of(messages));
      connection.commit();
    }
  }
}
