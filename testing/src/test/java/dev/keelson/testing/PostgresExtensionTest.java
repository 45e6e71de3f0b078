package dev.keelson.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@WithPostgres
class PostgresExtensionTest {

  private static String outerDatabase = "";

  @BeforeAll
  static void rememberDatabase(PostgresDatabase database) {
    outerDatabase = database.name();
  }

  @Test
  void givesAFreshDatabaseOnARealServer(PostgresDatabase database) throws SQLException {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement()) {
      assertThat(queryString(statement, "SELECT current_database()")).isEqualTo(database.name());
      assertThat(queryString(statement, "SELECT version()")).startsWith("PostgreSQL ");
      assertThat(
              queryString(
                  statement,
                  "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"))
          .isEqualTo("0");
    }
  }

  @Test
  void writesAndReadsThroughTheDataSource(PostgresDatabase database) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE greeting (id int PRIMARY KEY, text text NOT NULL)");
      statement.execute("INSERT INTO greeting VALUES (1, 'hello')");
      assertThat(queryString(statement, "SELECT text FROM greeting WHERE id = 1"))
          .isEqualTo("hello");
    }
  }

  @Test
  void aSharedServerCannotBeControlled(PostgresDatabase database) {
    assertThatThrownBy(database::control)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("@WithPostgres(dedicated = true)");
  }

  @Nested
  class ANestedClass {

    @Test
    void getsItsOwnDatabase(PostgresDatabase database) throws SQLException {
      assertThat(database.name()).isNotEqualTo(outerDatabase);
      try (Connection connection = database.connect();
          Statement statement = connection.createStatement()) {
        assertThat(queryString(statement, "SELECT current_database()")).isEqualTo(database.name());
      }
    }
  }

  static String queryString(Statement statement, String sql) throws SQLException {
    try (ResultSet rows = statement.executeQuery(sql)) {
      assertThat(rows.next()).as("a row from %s", sql).isTrue();
      return rows.getString(1);
    }
  }
}
