package dev.keelson.modulepath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.idempotency.Outcome;
import dev.keelson.outbox.OutboxMessage;
import dev.keelson.testing.H2Database;
import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.RedisServer;
import dev.keelson.testing.WithPostgres;
import dev.keelson.testing.WithRedis;
import io.lettuce.core.api.StatefulRedisConnection;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The published jars as named modules: what they export, what they hide, and that they work. */
@WithRedis
@WithPostgres
class ModulePathTest {

  private static final Set<String> SIBLINGS =
      Set.of(
          "dev.keelson.retry",
          "dev.keelson.ratelimit",
          "dev.keelson.idempotency",
          "dev.keelson.leasing",
          "dev.keelson.outbox",
          "dev.keelson.micrometer",
          "dev.keelson.outbox.kafka");

  private final RedisServer redis;
  private final StatefulRedisConnection<String, String> connection;
  private final PostgresDatabase database;

  ModulePathTest(RedisServer redis, PostgresDatabase database) {
    this.redis = redis;
    this.connection = redis.connect();
    this.database = database;
  }

  @Test
  void thisTestRunsInsideANamedModule() {
    assertThat(Tour.class.getModule().getName()).isEqualTo("dev.keelson.modulepath");
    assertThat(Outcome.class.getModule().getName()).isEqualTo("dev.keelson.idempotency");
  }

  @Test
  void eachModuleExportsOnlyItsApiToEveryone() {
    Map<String, Set<String>> exported = new TreeMap<>();
    for (Module module : ModuleLayer.boot().modules()) {
      if (module.getName().startsWith("dev.keelson.") && !module.equals(Tour.class.getModule())) {
        Set<String> packages = new TreeSet<>();
        for (ModuleDescriptor.Exports exports : module.getDescriptor().exports()) {
          if (!exports.isQualified()) {
            packages.add(exports.source());
          }
        }
        exported.put(module.getName(), packages);
      }
    }

    assertThat(exported)
        .containsOnly(
            Map.entry("dev.keelson.core", Set.of("dev.keelson.core")),
            Map.entry("dev.keelson.retry", Set.of("dev.keelson.retry")),
            Map.entry(
                "dev.keelson.ratelimit",
                Set.of("dev.keelson.ratelimit", "dev.keelson.ratelimit.redis")),
            Map.entry(
                "dev.keelson.idempotency",
                Set.of(
                    "dev.keelson.idempotency",
                    "dev.keelson.idempotency.jdbc",
                    "dev.keelson.idempotency.redis")),
            Map.entry(
                "dev.keelson.leasing",
                Set.of(
                    "dev.keelson.leasing",
                    "dev.keelson.leasing.jdbc",
                    "dev.keelson.leasing.redis")),
            Map.entry("dev.keelson.outbox", Set.of("dev.keelson.outbox")),
            Map.entry("dev.keelson.micrometer", Set.of("dev.keelson.micrometer")),
            Map.entry("dev.keelson.outbox.kafka", Set.of("dev.keelson.outbox.kafka")));
  }

  @Test
  void coreSharesItsHelpersOnlyWithTheSiblingModules() {
    ModuleDescriptor core =
        Tour.class
            .getModule()
            .getLayer()
            .findModule("dev.keelson.core")
            .orElseThrow()
            .getDescriptor();
    for (ModuleDescriptor.Exports exports : core.exports()) {
      if (exports.source().startsWith("dev.keelson.core.internal")) {
        assertThat(exports.isQualified()).as(exports.source()).isTrue();
        assertThat(SIBLINGS).as(exports.source()).containsAll(exports.targets());
      }
    }
  }

  @Test
  void anApplicationCannotCallIntoInternalPackages() throws Exception {
    Method coreHelper =
        Class.forName("dev.keelson.core.internal.Checks")
            .getMethod("saturatedNanos", Duration.class);
    assertThatThrownBy(() -> coreHelper.invoke(null, Duration.ZERO))
        .isInstanceOf(IllegalAccessException.class);

    Class<?> limiterPart = Class.forName("dev.keelson.ratelimit.internal.Keys");
    assertThat(
            limiterPart
                .getModule()
                .isExported(limiterPart.getPackageName(), Tour.class.getModule()))
        .isFalse();
  }

  @Test
  void theKafkaPublisherRefusesAnUnsafeProducerOnTheModulePath() {
    assertThat(MetricsTour.kafkaRefusal()).startsWith("acks: must be");
  }

  @Test
  void theMetricsBindersCountOnTheModulePath() throws Exception {
    assertThat(MetricsTour.retriedOnceAndCounted()).isEqualTo(1);
  }

  @Test
  void retriesRunOnTheModulePath() throws Exception {
    assertThat(Tour.retriedOnce()).isEqualTo(2);
  }

  @Test
  void redisBackendsLoadTheirScriptsAcrossModules() {
    assertThat(Tour.redisDecision(connection, redis.keyPrefix()).allowed()).isTrue();
    assertThat(Tour.redisReplay(connection, redis.keyPrefix()))
        .isEqualTo(new Outcome.Replayed<>("charged"));
    assertThat(Tour.redisLease(connection, redis.keyPrefix())).isPresent();
  }

  @Test
  void jdbcBackendsLoadTheirSchemasAcrossModules() throws Exception {
    assertThat(Tour.jdbcReplay(database.dataSource())).isEqualTo(new Outcome.Replayed<>("charged"));
    assertThat(Tour.jdbcLease(database.dataSource())).isPresent();
    assertThat(Tour.relayed(database.dataSource()))
        .singleElement()
        .satisfies(message -> assertThat(message.key()).isEqualTo("order-1"));
  }

  @Test
  void aStartedRelayHearsACommitOnTheModulePath() throws Exception {
    // The driver is an automatic module here (found as a java.sql.Driver), which the outbox reads.
    Tour.Relayed relayed = Tour.startedRelay(database.dataSource());

    assertThat(relayed.errors()).as("no round failed").isEmpty();
    assertThat(relayed.delivered())
        .as(
            "a commit made while the relay waits is published within 10 s: woken by LISTEN, not"
                + " by the one-minute poll")
        .extracting(OutboxMessage::key)
        .contains("order-2", "order-3");
  }

  @Test
  void fencesAndTaskQueuesLoadTheirScriptsAndSchemasAcrossModules() throws Exception {
    assertThat(LeasingTour.jdbcFenceAdmits(database.dataSource())).containsExactly(true, false);
    assertThat(LeasingTour.redisFenceAdmits(connection, redis.keyPrefix()))
        .containsExactly(true, false);
    assertThat(LeasingTour.jdbcTaskClaimed(database.dataSource()))
        .containsExactly("send the report");
    assertThat(LeasingTour.redisTaskClaimed(connection, redis.keyPrefix()))
        .containsExactly("send the report");
  }

  @Test
  void theH2SchemasLoadAcrossModulesToo() {
    assertThat(LeasingTour.h2Lease(H2Database.newInMemory())).isPresent();
  }

  @Test
  void hierarchiesAndTheInboxWorkAcrossModules() throws Exception {
    assertThat(Tour.hierarchiesAllow(connection, redis.keyPrefix())).containsExactly(true, true);
    assertThat(Tour.inboxTwice(database.dataSource())).containsExactly(true, false);
  }
}
