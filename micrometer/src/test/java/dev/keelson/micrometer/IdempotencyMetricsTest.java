package dev.keelson.micrometer;

import static dev.keelson.micrometer.Meter.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.idempotency.Fingerprint;
import dev.keelson.idempotency.Idempotency;
import dev.keelson.idempotency.IdempotencyKey;
import dev.keelson.idempotency.IdempotencyStoreException;
import dev.keelson.idempotency.Outcome;
import dev.keelson.idempotency.ResultSerializer;
import dev.keelson.idempotency.jdbc.JdbcIdempotencyStore;
import dev.keelson.testing.FaultProxy;
import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.WithPostgres;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** An idempotent executor on PostgreSQL through each outcome, read back from the meters. */
@WithPostgres
class IdempotencyMetricsTest {

  private static final Fingerprint PAY_10 = Fingerprint.builder().add("body", "pay 10").build();
  private static final Fingerprint PAY_11 = Fingerprint.builder().add("body", "pay 11").build();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final IdempotencyMetrics metrics = IdempotencyMetrics.on(registry);
  private final FaultProxy proxy;
  private final Idempotency<String> payments;

  IdempotencyMetricsTest(PostgresDatabase database) {
    JdbcIdempotencyStore.on(database.dataSource()).createSchema();
    proxy = FaultProxy.start(database.host(), database.port());
    PGSimpleDataSource throughProxy = (PGSimpleDataSource) database.dataSourceThrough(proxy);
    throughProxy.setConnectTimeout(1);
    throughProxy.setSocketTimeout(1);
    payments =
        Idempotency.builder(JdbcIdempotencyStore.on(throughProxy), ResultSerializer.UTF8)
            .name("payments")
            .listener(metrics)
            .build();
  }

  @AfterEach
  void closeProxy() {
    proxy.close();
  }

  @Test
  void everyOutcomeIsCountedUnderTheExecutorsName() {
    IdempotencyKey key = IdempotencyKey.of("tenant-9", "order-" + System.nanoTime());
    IdempotencyKey other = IdempotencyKey.of("tenant-9", "order-" + System.nanoTime() + "-b");
    AtomicReference<Outcome<String>> duringTheFirst = new AtomicReference<>();

    assertThat(payments.execute(key, PAY_10, () -> "paid")).isInstanceOf(Outcome.Executed.class);
    assertThat(payments.execute(key, PAY_10, () -> "again")).isInstanceOf(Outcome.Replayed.class);
    assertThat(payments.execute(key, PAY_11, () -> "other")).isInstanceOf(Outcome.Mismatch.class);
    payments.execute(
        other,
        PAY_10,
        () -> {
          duringTheFirst.set(payments.execute(other, PAY_10, () -> "twice"));
          return "once";
        });
    assertThat(duringTheFirst.get()).isInstanceOf(Outcome.InProgress.class);

    assertThat(requests("executed")).isEqualTo(2);
    assertThat(requests("replayed")).isEqualTo(1);
    assertThat(requests("mismatch")).isEqualTo(1);
    assertThat(requests("in_progress")).isEqualTo(1);
    assertThat(requests("completed_without_result")).isZero();
    assertThat(count(registry, "keelson.idempotency.store.errors", "name", "payments")).isZero();
    assertThat(registry.getMeters())
        .as("no meter carries a key or a namespace")
        .allSatisfy(
            meter ->
                assertThat(meter.getId().getTags().toString())
                    .doesNotContain("tenant")
                    .doesNotContain("order"));
  }

  @Test
  void aStoreThatCannotBeReachedIsCountedAsAStoreError() {
    proxy.blackhole();
    IdempotencyKey key = IdempotencyKey.of("tenant-9", "order-" + System.nanoTime());

    assertThatThrownBy(() -> payments.execute(key, PAY_10, () -> "never"))
        .isInstanceOf(IdempotencyStoreException.class);

    assertThat(count(registry, "keelson.idempotency.store.errors", "name", "payments"))
        .isEqualTo(1);
    assertThat(requests("executed")).as("nothing executed").isZero();
  }

  private double requests(String outcome) {
    return count(registry, "keelson.idempotency.requests", "name", "payments", "outcome", outcome);
  }
}
