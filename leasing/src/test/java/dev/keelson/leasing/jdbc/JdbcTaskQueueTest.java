package dev.keelson.leasing.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.leasing.TaskQueue;
import dev.keelson.leasing.TaskQueueContract;
import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.WithPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithPostgres
class JdbcTaskQueueTest extends TaskQueueContract {

  private PostgresDatabase database;
  private JdbcTaskQueue jdbc;

  @BeforeEach
  void schema(PostgresDatabase database) {
    this.database = database;
    jdbc =
        JdbcTaskQueue.builder(database.dataSource())
            .maxAttempts(MAX_ATTEMPTS)
            .backoff(BACKOFF)
            .listener(events)
            .build();
    jdbc.createSchema();
  }

  @Override
  protected TaskQueue newQueue() {
    return jdbc;
  }

  @Override
  protected String state(String queue, long id) {
    return column(id, "state");
  }

  @Override
  protected String lastError(String queue, long id) {
    return column(id, "last_error");
  }

  private String column(long id, String column) {
    try (Connection connection = database.connect();
        PreparedStatement statement =
            connection.prepareStatement("SELECT " + column + " FROM keelson_tasks WHERE id = ?")) {
      statement.setLong(1, id);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getString(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anEnqueueRolledBackLeavesNoTask() throws SQLException {
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      jdbc.enqueue(connection, "rolled-back", "never".getBytes(StandardCharsets.UTF_8));
      connection.rollback();
    }

    assertThat(jdbc.claim("rolled-back", "w", 10, Duration.ofMinutes(1))).isEmpty();
  }

  @Test
  void badSettingsAreRejectedByName() {
    assertThatThrownBy(() -> JdbcTaskQueue.builder(database.dataSource()).table("bad name"))
        .hasMessageStartingWith("table: ");
    assertThatThrownBy(() -> JdbcTaskQueue.builder(database.dataSource()).maxAttempts(0))
        .hasMessageStartingWith("maxAttempts: 0");
  }
}
