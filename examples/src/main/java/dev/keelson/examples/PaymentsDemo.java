package dev.keelson.examples;

import dev.keelson.idempotency.Idempotency;
import dev.keelson.idempotency.StoredResponse;
import dev.keelson.idempotency.redis.RedisIdempotencyStore;
import dev.keelson.micrometer.Health;
import dev.keelson.outbox.Outbox;
import dev.keelson.ratelimit.RateLimit;
import dev.keelson.ratelimit.redis.RedisRateLimitHierarchy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the service and runs the scripted scenario: starts Redis and PostgreSQL (or uses yours),
 * the API, the settlement workers and the event relay; drives the clients; waits until every
 * settlement and event is through; prints the report; exits 0 when nothing was charged twice and no
 * event was lost. {@code examples/run.sh} runs it.
 */
public final class PaymentsDemo {

  private static final Logger log = LoggerFactory.getLogger(PaymentsDemo.class);

  private PaymentsDemo() {}

  public static void main(String[] args) {
    Report report = run();
    System.out.println(report.render());
    System.exit(report.ok() ? 0 : 1);
  }

  /** Runs the whole scenario and stops everything it started. */
  static Report run() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    Metrics metrics = new Metrics();
    try (Infrastructure infrastructure = Infrastructure.start()) {
      Outbox outbox = Outbox.builder().listener(metrics.outbox).build();
      outbox.createSchema(infrastructure.database);
      try (Settlements settlements = new Settlements(infrastructure.database, outbox, metrics)) {
        infrastructure.startFresh(outbox.table(), "keelson_tasks", "keelson_fences");
        try (EventDelivery delivery = new EventDelivery(infrastructure.database, outbox, metrics);
            PaymentsApi api = api(infrastructure, outbox, settlements, run, metrics)) {
          Workload clients = new Workload(api.uri(), run);
          drive(clients, settlements);
          awaitQuiet(infrastructure.database, delivery);
          return report(infrastructure.database, clients, delivery, settlements, metrics);
        }
      }
    }
  }

  /** The scripted clients, and a settlement worker that stalls mid-task. */
  private static void drive(Workload clients, Settlements settlements) {
    // A worker claims the first payment's settlement and stalls before the others start.
    clients.honestClients(1, "umbrella");
    Thread stalled = settlements.stallOneWorker();
    settlements.start(3);

    clients.honestClients(10, "acme", "globex", "initech");
    clients.keyReusedForAnotherAmount("globex");
    clients.burst("hooli", 30);
    clients.createdIds().forEach(clients::get);
    join(stalled);
  }

  /**
   * The limits, per request: the whole service, then the tenant, then the tenant on this endpoint.
   * Token buckets: a burst up to the capacity, then the refill rate.
   */
  private static PaymentsApi api(
      Infrastructure infrastructure,
      Outbox outbox,
      Settlements settlements,
      String run,
      Metrics metrics) {
    List<RateLimit> levels =
        List.of(
            RateLimit.tokenBucket("global", 1_000, Duration.ofSeconds(1)),
            // Small, so that the demo's burst meets them: 25 payments per tenant per 10 minutes.
            RateLimit.tokenBucket("tenant", 40, Duration.ofMinutes(10)),
            RateLimit.tokenBucket("tenant-endpoint", 25, Duration.ofMinutes(10)));
    RedisRateLimitHierarchy.Builder limits =
        RedisRateLimitHierarchy.builder(infrastructure.redis, levels)
            .name("payments")
            .keyPrefix("demo-" + run + ":")
            .listener(metrics.limits);
    Idempotency<StoredResponse> idempotency =
        Idempotency.builder(
                RedisIdempotencyStore.builder(infrastructure.redis)
                    .keyPrefix("demo-" + run + ":")
                    .build(),
                StoredResponse.SERIALIZER)
            .lease(Duration.ofSeconds(30)) // far longer than a payment takes
            .retention(Duration.ofHours(24)) // longer than any client retries
            .name("payments")
            .listener(metrics.idempotency)
            .build();
    return new PaymentsApi(
        infrastructure.database, limits.build(), levels, idempotency, outbox, settlements.tasks());
  }

  /** Until every task is done and every event is out, or a minute has passed. */
  private static void awaitQuiet(DataSource database, EventDelivery delivery) {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (System.nanoTime() < deadline) {
      if (count(database, "SELECT count(*) FROM keelson_tasks WHERE state = 'pending'") == 0
          && delivery.pending() == 0) {
        return;
      }
      pause(Duration.ofMillis(100));
    }
    log.warn("the demo did not settle within a minute; the report shows what is missing");
  }

  private static Report report(
      DataSource database,
      Workload clients,
      EventDelivery delivery,
      Settlements settlements,
      Metrics metrics) {
    List<EventDelivery.Received> received = delivery.received();
    Map<String, String> firstEventOf = new HashMap<>();
    boolean orderKept = true;
    long distinct = received.stream().distinct().count();
    for (EventDelivery.Received event : received) {
      String first = firstEventOf.putIfAbsent(event.key(), event.type());
      if (first == null && event.type().equals(Events.SETTLED)) {
        orderKept = false; // settled arrived before created
      }
    }
    long payments = count(database, "SELECT count(*) FROM payments");
    return new Report(
        clients.requests.get(),
        clients.createdIds().size(),
        clients.replays.get(),
        clients.count(422),
        clients.count(429),
        payments,
        count(database, "SELECT count(*) FROM settlements"),
        2 * payments,
        distinct,
        orderKept,
        metrics.count("keelson.retry.retries", "name", "webhook"),
        metrics.count("keelson.retry.calls", "name", "webhook", "outcome", "budget_exhausted"),
        settlements.takeovers.get(),
        settlements.staleWritesRefused.get(),
        new Report.Meters(
            metrics.count("keelson.ratelimit.decisions", "name", "payments", "outcome", "denied"),
            metrics.count(
                "keelson.idempotency.requests", "name", "payments", "outcome", "replayed"),
            metrics.count("keelson.outbox.messages", "outcome", "published"),
            metrics.count("keelson.leasing.tasks", "outcome", "reclaimed"),
            Health.worst(metrics.health())));
  }

  private static long count(DataSource database, String sql) {
    try (Connection connection = database.getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count: " + e.getMessage(), e);
    }
  }

  private static void join(Thread thread) {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
