package dev.keelson.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.ServerTime;
import dev.keelson.testing.WithPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code createSchema} on a table made before a column existed, by instances starting at once. */
@WithPostgres
class PostgresSchemaUpgradeTest {

  @Test
  void twoInstancesUpgradingAnOldTableAtOnceBothStart(PostgresDatabase database) throws Exception {
    String table = "outbox_" + UUID.randomUUID().toString().replace("-", "");
    Outbox outbox = Outbox.builder().table(table).build();
    outbox.createSchema(database.dataSource());
    execute(database, "ALTER TABLE " + table + " DROP COLUMN last_delay_ms"); // made before it

    try (Connection first = database.connect()) {
      // The first instance has added the column and not committed yet.
      first.setAutoCommit(false);
      try (Statement ddl = first.createStatement()) {
        ddl.execute("ALTER TABLE " + table + " ADD COLUMN last_delay_ms bigint NOT NULL DEFAULT 0");
      }
      // The second checks, finds the column missing, and waits for the first's lock.
      CompletableFuture<Void> second =
          CompletableFuture.runAsync(() -> outbox.createSchema(database.dataSource()));
      awaitAWaitForALock(database);
      first.commit();

      assertThatCode(() -> second.get(10, TimeUnit.SECONDS)).doesNotThrowAnyException();
    }
    try (Connection connection = database.connect()) {
      outbox.append(connection, OutboxMessage.of("t", "k", new byte[] {1}));
    }
    InMemoryPublisher publisher = InMemoryPublisher.withDefaults();
    assertThat(OutboxRelay.builder(database.dataSource(), outbox, publisher).build().runOnce())
        .isEqualTo(1);
  }

  private static void execute(PostgresDatabase database, String sql) throws SQLException {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private static void awaitAWaitForALock(PostgresDatabase database) throws SQLException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement()) {
      while (true) {
        try (ResultSet waiting =
            statement.executeQuery(
                "SELECT count(*) FROM pg_stat_activity"
                    + " WHERE wait_event_type = 'Lock' AND datname = current_database()")) {
          waiting.next();
          if (waiting.getInt(1) > 0) {
            return;
          }
        }
        assertThat(System.nanoTime()).as("the second waits within 10 s").isLessThan(deadline);
        ServerTime.letPass(Duration.ofMillis(10));
      }
    }
  }
}
