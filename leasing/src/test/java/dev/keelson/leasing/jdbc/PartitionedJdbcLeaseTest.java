package dev.keelson.leasing.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.core.BackendException;
import dev.keelson.leasing.Lease;
import dev.keelson.leasing.LeaseStore;
import dev.keelson.leasing.Leaser;
import dev.keelson.testing.FaultProxy;
import dev.keelson.testing.OneConnection;
import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.WithPostgres;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL lease whose store is cut off by a partition that hangs every call (JDBC has no
 * timeout of its own): a renewal on an open connection fails within the time it has left, and a
 * keep-alive whose renewal hangs while connecting still reports the loss at its deadline.
 */
@WithPostgres
class PartitionedJdbcLeaseTest {

  private static final Duration TTL = Duration.ofSeconds(2);

  @Test
  void aRenewalOnAnOpenConnectionFailsWithinItsTimeout(PostgresDatabase database) throws Exception {
    JdbcLeaseStore.on(database.dataSource()).createSchema();
    try (FaultProxy proxy = FaultProxy.start(database.host(), database.port())) {
      JdbcLeaseStore store =
          JdbcLeaseStore.on(new OneConnection(database.dataSourceThrough(proxy)));
      LeaseStore.Grant grant =
          store.tryAcquire("report", "me", TTL, Duration.ofSeconds(5)).orElseThrow();

      proxy.blackhole();
      CompletableFuture<Object> renewal =
          CompletableFuture.supplyAsync(() -> store.renew(grant, TTL, Duration.ofMillis(300)));

      assertThatThrownBy(() -> renewal.get(10, TimeUnit.SECONDS))
          .as("fails after its 300 ms, instead of waiting for the partition to heal")
          .hasCauseInstanceOf(BackendException.class)
          .hasMessageContaining("cannot renew the lease of 'report'");
      proxy.heal();
    }
  }

  @Test
  void aKeepAliveStuckConnectingReportsTheLossAtItsDeadline(PostgresDatabase database)
      throws Exception {
    JdbcLeaseStore.on(database.dataSource()).createSchema();
    ScheduledExecutorService oneThread = Executors.newSingleThreadScheduledExecutor();
    try (FaultProxy proxy = FaultProxy.start(database.host(), database.port())) {
      JdbcLeaseStore store = JdbcLeaseStore.on(database.dataSourceThrough(proxy));
      Leaser leaser = Leaser.builder(store).owner("stuck").build();
      Lease lease = leaser.tryAcquire("nightly", TTL).orElseThrow();
      CompletableFuture<Void> lost = new CompletableFuture<>();
      leaser.keepAlive(lease, oneThread, gone -> lost.complete(null));

      proxy.blackhole(); // new connections hang in the handshake, with no timeout of JDBC's

      lost.get(10, TimeUnit.SECONDS);
      assertThat(lease.isHeld()).isFalse();
      JdbcLeaseStore direct = JdbcLeaseStore.on(database.dataSource());
      assertThat(direct.tryAcquire("nightly", "successor", TTL, Duration.ofSeconds(5)))
          .as("reported before the database let anyone else take the lease")
          .isEmpty();
      proxy.heal();
    } finally {
      oneThread.shutdownNow();
    }
  }
}
