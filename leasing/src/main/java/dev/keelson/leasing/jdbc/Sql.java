package dev.keelson.leasing.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/** What the JDBC backends share: table-name checks and applying a DDL resource. */
final class Sql {

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private Sql() {}

  /** A table name is used in SQL text, so it must be a plain identifier. */
  static String checkTable(String table) {
    Objects.requireNonNull(table, "table");
    if (!IDENTIFIER.matcher(table).matches()) {
      throw new IllegalArgumentException(
          "table: '" + table + "' must be a lower-case SQL identifier of at most 63 characters");
    }
    return table;
  }

  /** Runs a DDL file kept beside this class, with {@code ${table}} replaced. */
  static void applyDdl(DataSource dataSource, String resource, String table) {
    String ddl;
    try (InputStream in = Sql.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is missing beside " + Sql.class.getName());
      }
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${table}", table);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(ddl);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create the table " + table + ": " + e.getMessage(), e);
    }
  }
}
