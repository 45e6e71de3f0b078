package dev.keelson.micrometer;

import static dev.keelson.micrometer.Eventually.await;
import static dev.keelson.micrometer.Meter.count;
import static dev.keelson.micrometer.Meter.gauge;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.leasing.ClaimedTask;
import dev.keelson.leasing.KeepAlive;
import dev.keelson.leasing.LeaderElection;
import dev.keelson.leasing.Lease;
import dev.keelson.leasing.Leaser;
import dev.keelson.leasing.jdbc.JdbcLeaseStore;
import dev.keelson.leasing.jdbc.JdbcTaskQueue;
import dev.keelson.retry.Backoff;
import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.ServerTime;
import dev.keelson.testing.WithPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Leases, an election and a task queue on PostgreSQL through their events, read as meters. */
@WithPostgres
class LeasingMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AtomicLong now = new AtomicLong();
  private final LeasingMetrics metrics =
      LeasingMetrics.builder(registry)
          .lostLeadership(Duration.ofMinutes(1))
          .ticker(now::get)
          .build();
  private final PostgresDatabase database;
  private final String suffix = UUID.randomUUID().toString().replace("-", "");
  private final JdbcLeaseStore leases;
  private final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);

  LeasingMetricsTest(PostgresDatabase database) {
    this.database = database;
    leases = JdbcLeaseStore.builder(database.dataSource()).table("leases_" + suffix).build();
    leases.createSchema();
  }

  @AfterEach
  void stopScheduler() {
    scheduler.shutdownNow();
  }

  private Leaser leaser(String name) {
    return Leaser.builder(leases).name(name).listener(metrics).build();
  }

  @Test
  void leaseEventsAreCountedByOutcome() throws Exception {
    Leaser jobs = leaser("jobs");
    Lease lease = jobs.tryAcquire("report-1", Duration.ofSeconds(30)).orElseThrow();
    jobs.renew(lease).orElseThrow();
    assertThat(jobs.release(lease)).isTrue();

    Lease kept = jobs.tryAcquire("report-2", Duration.ofMillis(600)).orElseThrow();
    CountDownLatch lost = new CountDownLatch(1);
    try (KeepAlive keepAlive = jobs.keepAlive(kept, scheduler, l -> lost.countDown())) {
      steal("report-2"); // another holder's row: the next renewal is refused
      assertThat(lost.await(10, TimeUnit.SECONDS)).isTrue();
    }

    assertThat(leases("acquired")).isEqualTo(2);
    assertThat(leases("renewed")).isGreaterThanOrEqualTo(1);
    assertThat(leases("released")).isEqualTo(1);
    assertThat(leases("lost")).isEqualTo(1);
  }

  @Test
  void theLeaderGaugeFollowsTheElectionAndALossDegradesForAWhile() {
    LeaderElection election =
        LeaderElection.builder(leaser("candidate"), "scheduler-" + suffix, scheduler)
            .name("scheduler")
            .ttl(Duration.ofSeconds(3))
            .listener(metrics)
            .start();
    await(
        "leads",
        () ->
            registry.find("keelson.leasing.leader").gauge() != null
                && gauge(registry, "keelson.leasing.leader", "name", "scheduler") == 1);
    assertThat(metrics.health())
        .singleElement()
        .satisfies(
            health -> {
              assertThat(health.status()).isEqualTo(HealthStatus.UP);
              assertThat(health.details()).containsEntry("leader", true);
            });

    election.close(); // steps down: a loss

    assertThat(gauge(registry, "keelson.leasing.leader", "name", "scheduler")).isZero();
    assertThat(
            count(registry, "keelson.leasing.leadership", "name", "scheduler", "outcome", "gained"))
        .isEqualTo(1);
    assertThat(
            count(registry, "keelson.leasing.leadership", "name", "scheduler", "outcome", "lost"))
        .isEqualTo(1);
    assertThat(metrics.health())
        .singleElement()
        .extracting(Health::status)
        .isEqualTo(HealthStatus.DEGRADED);
    now.addAndGet(Duration.ofMinutes(1).toNanos());
    assertThat(metrics.health())
        .singleElement()
        .extracting(Health::status)
        .as("the loss is a minute old")
        .isEqualTo(HealthStatus.UP);
  }

  @Test
  void twoCandidatesOfOneNameAndABinderThatReplacesAnother() {
    metrics.onGained("default", 1);
    metrics.onGained("default", 2);
    metrics.onLost("default");
    assertThat(gauge(registry, "keelson.leasing.leader", "name", "default"))
        .as("the other candidate still leads")
        .isEqualTo(1);

    // The application restarts on the same registry: the new binder's state is what shows.
    LeasingMetrics.on(registry).onLost("default");
    assertThat(gauge(registry, "keelson.leasing.leader", "name", "default")).isZero();
    assertThat(registry.find("keelson.leasing.leader").gauges()).hasSize(1);
  }

  @Test
  void taskEventsAreCountedByOutcome() {
    JdbcTaskQueue queue =
        JdbcTaskQueue.builder(database.dataSource())
            .table("tasks_" + suffix)
            .name("mail")
            .maxAttempts(3)
            .backoff(Backoff.fixed(Duration.ZERO))
            .listener(metrics)
            .build();
    queue.createSchema();
    queue.enqueue("outgoing", bytes("welcome"));
    queue.enqueue("outgoing", bytes("invoice"));
    queue.enqueue("slow", bytes("reminder"));

    List<ClaimedTask> both = byId(queue.claim("outgoing", "worker-1", 2, Duration.ofMinutes(1)));
    assertThat(queue.complete(both.get(0))).isTrue();
    ClaimedTask invoice = both.get(1);
    for (int attempt = 1; attempt <= 3; attempt++) {
      assertThat(queue.fail(invoice, "smtp 451")).isTrue(); // due again at once, dead after 3
      List<ClaimedTask> next = queue.claim("outgoing", "worker-1", 1, Duration.ofMinutes(1));
      invoice = attempt < 3 ? next.get(0) : invoice;
    }
    // A claim that runs out: another worker takes the task over, the first one's is stale.
    ClaimedTask brief = queue.claim("slow", "worker-1", 1, Duration.ofMillis(50)).get(0);
    ServerTime.letPass(Duration.ofMillis(200));
    assertThat(queue.claim("slow", "worker-2", 1, Duration.ofMinutes(1))).hasSize(1);
    assertThat(queue.complete(brief)).as("a stale claim").isFalse();

    assertThat(tasks("claimed")).as("2 + 2 again + 1").isEqualTo(5);
    assertThat(tasks("completed")).isEqualTo(1);
    assertThat(tasks("retried")).isEqualTo(2);
    assertThat(tasks("dead")).isEqualTo(1);
    assertThat(tasks("reclaimed")).isEqualTo(1);
    assertThat(tasks("stale")).isEqualTo(1);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static List<ClaimedTask> byId(List<ClaimedTask> tasks) {
    return tasks.stream().sorted(Comparator.comparingLong(ClaimedTask::id)).toList();
  }

  private void steal(String resource) throws SQLException {
    try (Connection connection = database.connect();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE leases_" + suffix + " SET owner = 'someone else' WHERE resource = ?")) {
      update.setString(1, resource);
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
  }

  private double leases(String outcome) {
    return count(registry, "keelson.leasing.leases", "name", "jobs", "outcome", outcome);
  }

  private double tasks(String outcome) {
    return count(registry, "keelson.leasing.tasks", "name", "mail", "outcome", outcome);
  }
}
