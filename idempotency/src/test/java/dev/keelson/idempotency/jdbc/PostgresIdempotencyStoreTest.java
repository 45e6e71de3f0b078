package dev.keelson.idempotency.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.idempotency.Fingerprint;
import dev.keelson.idempotency.IdempotencyKey;
import dev.keelson.idempotency.IdempotencyStore;
import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.ServerTime;
import dev.keelson.testing.WithPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@WithPostgres
class PostgresIdempotencyStoreTest extends JdbcIdempotencyStoreContract {

  private final PostgresDatabase database;

  PostgresIdempotencyStoreTest(PostgresDatabase database) {
    super(database.dataSource());
    this.database = database;
  }

  /**
   * The purge picks expired rows, then deletes them; a begin that renews one in between (here held
   * open on its row lock) must win: the delete checks the expiry again on the row it finally sees.
   */
  @Test
  void thePurgeNeverDeletesARecordThatABeginRenewedMeanwhile() throws Exception {
    JdbcIdempotencyStore store = JdbcIdempotencyStore.on(database.dataSource());
    IdempotencyKey key = IdempotencyKey.of("purge-race", "renewed");
    Fingerprint fingerprint = Fingerprint.builder().add("body", "x").build();
    store.begin(key, fingerprint, "first", Duration.ofMillis(10), Duration.ofMillis(500));
    ServerTime.letPass(Duration.ofMillis(500));

    CompletableFuture<Long> purge;
    try (Connection renewing = database.connect()) {
      renewing.setAutoCommit(false);
      try (PreparedStatement renew =
          renewing.prepareStatement(
              "UPDATE keelson_idempotency SET owner = 'second', expires_at = now() + interval '1"
                  + " hour' WHERE namespace = ? AND idempotency_key = ?")) {
        renew.setString(1, key.namespace());
        renew.setString(2, key.key());
        assertThat(renew.executeUpdate()).isOne();
      }
      purge = CompletableFuture.supplyAsync(store::purgeExpired);
      awaitBlockedOnALock();
      renewing.commit();
    }

    purge.get(10, TimeUnit.SECONDS);
    assertThat(store.begin(key, fingerprint, "third", Duration.ofMillis(10), Duration.ofHours(1)))
        .as("the renewed record is still there: its second owner's lease has run out")
        .isEqualTo(new IdempotencyStore.Started(true));
  }

  private void awaitBlockedOnALock() throws SQLException {
    long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    try (Connection watcher = database.connect();
        Statement statement = watcher.createStatement()) {
      while (System.nanoTime() < until) {
        try (ResultSet row =
            statement.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND query LIKE 'DELETE FROM keelson_idempotency%'")) {
          row.next();
          if (row.getInt(1) > 0) {
            return;
          }
        }
      }
    }
    throw new AssertionError("the purge never waited for the renewing transaction");
  }
}
