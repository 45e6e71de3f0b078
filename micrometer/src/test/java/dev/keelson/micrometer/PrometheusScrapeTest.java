package dev.keelson.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.idempotency.Fingerprint;
import dev.keelson.idempotency.Idempotency;
import dev.keelson.idempotency.IdempotencyKey;
import dev.keelson.idempotency.ResultSerializer;
import dev.keelson.idempotency.jdbc.JdbcIdempotencyStore;
import dev.keelson.leasing.LeaderElection;
import dev.keelson.leasing.Leaser;
import dev.keelson.leasing.jdbc.JdbcLeaseStore;
import dev.keelson.leasing.jdbc.JdbcTaskQueue;
import dev.keelson.outbox.InMemoryPublisher;
import dev.keelson.outbox.Outbox;
import dev.keelson.outbox.OutboxMessage;
import dev.keelson.outbox.OutboxRelay;
import dev.keelson.ratelimit.InProcessRateLimiter;
import dev.keelson.ratelimit.RateLimit;
import dev.keelson.ratelimit.redis.RedisRateLimiter;
import dev.keelson.retry.Retry;
import dev.keelson.retry.TokenBucketRetryBudget;
import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.RedisServer;
import dev.keelson.testing.WithPostgres;
import dev.keelson.testing.WithRedis;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A Prometheus registry bound to every module, scraped: the names, units and tags read the way
 * Micrometer's own binders' do, and the module README's table lists exactly the meters there are.
 */
@WithRedis
@WithPostgres
class PrometheusScrapeTest {

  private static final Pattern TABLE_ROW = Pattern.compile("^\\| `(keelson_[a-z_]+)`");
  private static final Pattern FAMILY = Pattern.compile("^# TYPE (keelson_[a-z_]+) ");

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final String suffix = UUID.randomUUID().toString().replace("-", "");

  @Test
  void aScrapeOfEveryModuleReadsLikeMicrometersOwnBindersAndAsTheReadmeSays(
      RedisServer redis, PostgresDatabase database) throws Exception {
    String scrape = scrapeAfterEveryModuleRan(redis, database);

    assertThat(scrape)
        .contains("# TYPE keelson_retry_calls_total counter")
        .containsPattern(
            "(?m)^keelson_retry_calls_total\\{app=\"shop\",name=\"payments\",outcome=\"success\"} 1\\.0$")
        .containsPattern(
            "(?m)^keelson_retry_attempts_total\\{app=\"shop\",name=\"payments\",outcome=\"success\"} 1\\.0$")
        .containsPattern(
            "(?m)^keelson_retry_budget_available_retries\\{app=\"shop\",name=\"payments\"} 100\\.0$")
        .containsPattern(
            "(?m)^keelson_ratelimit_decisions_total\\{app=\"shop\",name=\"api\",outcome=\"denied\","
                + "source=\"in_process\"} 1\\.0$")
        .containsPattern(
            "(?m)^keelson_ratelimit_decisions_total\\{app=\"shop\",name=\"edge\",outcome=\"allowed\","
                + "source=\"backend\"} 1\\.0$")
        .contains("# TYPE keelson_ratelimit_backend_latency_seconds summary")
        .containsPattern("(?m)^keelson_ratelimit_breaker_open\\{app=\"shop\",name=\"edge\"} 0\\.0$")
        .containsPattern(
            "(?m)^keelson_idempotency_requests_total\\{app=\"shop\",name=\"checkout\","
                + "outcome=\"executed\"} 1\\.0$")
        .containsPattern(
            "(?m)^keelson_outbox_messages_total\\{app=\"shop\",name=\"orders\",outcome=\"published\"} 1\\.0$")
        .contains("# TYPE keelson_outbox_publish_latency_seconds summary")
        .containsPattern(
            "(?m)^keelson_outbox_pending_messages\\{app=\"shop\",name=\"orders\"} 0\\.0$")
        .containsPattern(
            "(?m)^keelson_outbox_pending_oldest_age_seconds\\{app=\"shop\",name=\"orders\"} 0\\.0$")
        .containsPattern("(?m)^keelson_leasing_leader\\{app=\"shop\",name=\"scheduler\"} 1\\.0$")
        .containsPattern(
            "(?m)^keelson_leasing_tasks_total\\{app=\"shop\",name=\"mail\",outcome=\"claimed\"} 1\\.0$")
        .doesNotContain("tenant-42")
        .doesNotContain("_seconds_bucket"); // histograms are off by default

    assertThat(families(scrape))
        .as("the families of the scrape are the README's table, no more, no less")
        .isEqualTo(readmeTable());
  }

  @Test
  void oneSettingTurnsPercentileHistogramsOn() {
    OutboxMetrics histograms = OutboxMetrics.builder(registry).percentileHistograms(true).build();
    histograms.onBatch("orders", 3, Duration.ofMillis(4));

    assertThat(registry.scrape())
        .containsPattern(
            "(?m)^keelson_outbox_batches_seconds_bucket\\{name=\"orders\",le=\"[0-9.]+\"} 1$")
        .containsPattern("(?m)^keelson_outbox_batch_size_messages_bucket\\{name=\"orders\",le=");
  }

  private String scrapeAfterEveryModuleRan(RedisServer redis, PostgresDatabase database)
      throws Exception {
    String[] app = {"app", "shop"};
    RetryMetrics retries = RetryMetrics.builder(registry).tags(app).build();
    TokenBucketRetryBudget budget = TokenBucketRetryBudget.withDefaults();
    Retry retry = Retry.builder().name("payments").budget(budget).listener(retries).build();
    retries.gaugeBudget("payments", budget);
    retry.call(() -> "ok");

    RateLimitMetrics limits = RateLimitMetrics.builder(registry).tags(app).build();
    InProcessRateLimiter local =
        InProcessRateLimiter.builder(RateLimit.fixedWindow("api", 1, Duration.ofMinutes(1)))
            .listener(limits)
            .build();
    local.decide("tenant-42", 1);
    local.decide("tenant-42", 1);
    try (StatefulRedisConnection<String, String> connection = redis.connect()) {
      RedisRateLimiter.builder(connection, RateLimit.tokenBucket("edge", 10, Duration.ofSeconds(1)))
          .keyPrefix(redis.keyPrefix())
          .listener(limits)
          .build()
          .decide("tenant-42", 1);
    }

    JdbcIdempotencyStore store = JdbcIdempotencyStore.on(database.dataSource());
    store.createSchema();
    Idempotency.builder(store, ResultSerializer.UTF8)
        .name("checkout")
        .listener(IdempotencyMetrics.builder(registry).tags(app).build())
        .build()
        .execute(
            IdempotencyKey.of("tenant-42", "order-" + suffix),
            Fingerprint.builder().add("body", "x").build(),
            () -> "done");

    OutboxMetrics outboxMetrics = OutboxMetrics.builder(registry).tags(app).build();
    Outbox outbox =
        Outbox.builder().table("outbox_" + suffix).name("orders").listener(outboxMetrics).build();
    outbox.createSchema(database.dataSource());
    try (Connection connection = database.connect()) {
      outbox.append(
          connection,
          OutboxMessage.of("orders", "tenant-42", "x".getBytes(StandardCharsets.UTF_8)));
    }
    InMemoryPublisher publisher = InMemoryPublisher.withDefaults();
    try (OutboxRelay relay =
        OutboxRelay.builder(database.dataSource(), outbox, publisher)
            .name("orders")
            .pollInterval(Duration.ofMillis(50))
            .backlogInterval(Duration.ofMillis(100))
            .listener(outboxMetrics)
            .build()) {
      relay.start();
      Eventually.await(
          "published and sampled",
          () ->
              publisher.delivered().size() == 1
                  && registry
                      .scrape()
                      .contains(
                          "keelson_outbox_pending_messages{app=\"shop\",name=\"orders\"} 0.0"));
    }

    LeasingMetrics leasing = LeasingMetrics.builder(registry).tags(app).build();
    JdbcLeaseStore leases =
        JdbcLeaseStore.builder(database.dataSource()).table("leases_" + suffix).build();
    leases.createSchema();
    Leaser leaser = Leaser.builder(leases).name("workers").listener(leasing).build();
    leaser.release(leaser.tryAcquire("tenant-42", Duration.ofSeconds(30)).orElseThrow());
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (LeaderElection election =
        LeaderElection.builder(leaser, "leader-" + suffix, scheduler)
            .name("scheduler")
            .listener(leasing)
            .start()) {
      Eventually.await("leads", election::isLeader);
      JdbcTaskQueue queue =
          JdbcTaskQueue.builder(database.dataSource())
              .table("tasks_" + suffix)
              .name("mail")
              .listener(leasing)
              .build();
      queue.createSchema();
      queue.enqueue("outgoing", "tenant-42".getBytes(StandardCharsets.UTF_8));
      queue.claim("outgoing", "worker", 1, Duration.ofMinutes(1));
      return registry.scrape();
    } finally {
      scheduler.shutdownNow();
    }
  }

  private static Set<String> families(String scrape) {
    Set<String> families = new TreeSet<>();
    for (String line : scrape.split("\n")) {
      Matcher family = FAMILY.matcher(line);
      if (family.find()) {
        families.add(family.group(1));
      }
    }
    return families;
  }

  private static Set<String> readmeTable() throws IOException {
    Set<String> names = new TreeSet<>();
    for (String line : Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8)) {
      Matcher row = TABLE_ROW.matcher(line);
      if (row.find()) {
        names.add(row.group(1));
      }
    }
    assertThat(names).as("README.md has a meter table").isNotEmpty();
    return names;
  }
}
