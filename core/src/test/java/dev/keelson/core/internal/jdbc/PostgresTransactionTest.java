package dev.keelson.core.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.testing.AutoCommit;
import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.WithPostgres;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@WithPostgres
class PostgresTransactionTest extends TransactionContract {

  private final DataSource database;

  PostgresTransactionTest(PostgresDatabase database) {
    this.database = database.dataSource();
  }

  @Override
  protected DataSource database() {
    return database;
  }

  @ParameterizedTest
  @EnumSource(AutoCommit.class)
  void aBoundedStatementFailsWhenTheServerIsSilentForLongerThanItsTimeout(AutoCommit mode) {
    CompletableFuture<Object> slow =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return Transaction.ownStatement(
                    mode.applyTo(database),
                    Duration.ofMillis(300),
                    tx -> {
                      try (Statement statement = tx.createStatement()) {
                        return statement.execute("SELECT pg_sleep(30)");
                      }
                    });
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            });

    assertThatThrownBy(() -> slow.get(10, TimeUnit.SECONDS))
        .as("fails after 300 ms of silence, not after the 30 s sleep")
        .hasRootCauseInstanceOf(java.net.SocketTimeoutException.class);
  }
}
