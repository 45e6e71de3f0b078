package dev.keelson.leasing.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.testing.Concurrently;
import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.WithPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A zombie's write is refused: the database accepts no token older than one it has seen. */
@WithPostgres
class JdbcFenceTest {

  private final JdbcFence fence = JdbcFence.onDefaultTable();
  private PostgresDatabase database;

  @BeforeEach
  void schema(PostgresDatabase database) throws SQLException {
    this.database = database;
    fence.createSchema(database.dataSource());
    try (Connection connection = database.connect();
        Statement ddl = connection.createStatement()) {
      ddl.execute(
          "CREATE TABLE IF NOT EXISTS report (id text PRIMARY KEY, body text, token bigint)");
      ddl.execute(
          "CREATE TABLE IF NOT EXISTS report_history (seq bigserial PRIMARY KEY, id text, token bigint)");
    }
  }

  /** A writer: admitted by the fence, then writes, in one transaction; true if it wrote. */
  private boolean write(String id, String body, long token) throws SQLException {
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      if (!fence.admit(connection, "report:" + id, token)) {
        connection.rollback();
        return false;
      }
      try (var statement =
          connection.prepareStatement(
              "INSERT INTO report VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET body = EXCLUDED.body, token = EXCLUDED.token")) {
        statement.setString(1, id);
        statement.setString(2, body);
        statement.setLong(3, token);
        statement.executeUpdate();
      }
      // Writers of one resource are serialized by the fence row's lock, so the history's order
      // is the order of the commits.
      try (var history =
          connection.prepareStatement("INSERT INTO report_history (id, token) VALUES (?, ?)")) {
        history.setString(1, id);
        history.setLong(2, token);
        history.executeUpdate();
      }
      connection.commit();
      return true;
    }
  }

  private String body(String id) throws SQLException {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT body FROM report WHERE id = '" + id + "'")) {
      return row.next() ? row.getString(1) : null;
    }
  }

  @Test
  void aZombiesWriteIsRefusedAndChangesNothing() throws SQLException {
    assertThat(write("nightly", "by the old holder", 4)).isTrue();
    assertThat(write("nightly", "by the new holder", 5)).isTrue();

    // The old holder wakes up from a long pause and writes with its old token.
    assertThat(write("nightly", "by the zombie", 4)).isFalse();

    assertThat(body("nightly")).isEqualTo("by the new holder");
    assertThat(write("nightly", "again by the new holder", 5)).as("the same token again").isTrue();
  }

  @Test
  void writersRacingInAnyOrderNeverLetAnOlderTokenWinAfterANewerOne() throws SQLException {
    List<Long> tokens = new ArrayList<>();
    for (long t = 1; t <= 40; t++) {
      tokens.add(t);
    }
    Collections.shuffle(tokens, new java.util.Random(7));
    ConcurrentLinkedQueue<Long> pending = new ConcurrentLinkedQueue<>(tokens);
    ConcurrentLinkedQueue<Long> accepted = new ConcurrentLinkedQueue<>();

    Concurrently.run(
        8,
        worker -> {
          for (Long token = pending.poll(); token != null; token = pending.poll()) {
            try {
              if (write("raced", "token " + token, token)) {
                accepted.add(token);
              }
            } catch (SQLException e) {
              throw new IllegalStateException(e);
            }
          }
        });

    assertThat(accepted).contains(40L);
    assertThat(body("raced")).isEqualTo("token 40");
    assertThat(history("raced")).isSorted().hasSameSizeAs(accepted);
  }

  private List<Long> history(String id) {
    List<Long> tokens = new ArrayList<>();
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT token FROM report_history WHERE id = '" + id + "' ORDER BY seq")) {
      while (rows.next()) {
        tokens.add(rows.getLong(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
    return tokens;
  }

  @Test
  void aTableNameThatIsNotAnIdentifierIsRejected() {
    assertThatThrownBy(() -> JdbcFence.onTable("x; DROP")).hasMessageStartingWith("table: ");
  }
}
