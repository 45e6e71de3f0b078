package dev.keelson.core.internal.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A backend's DDL: a resource file per dialect ({@code <name>-postgresql.sql}, {@code
 * <name>-h2.sql}) kept beside the backend's class, with {@code ${table}} standing for the
 * configured table name. Every statement is idempotent ({@code IF NOT EXISTS}), so applying it
 * again is harmless; users may run the same files with their own migration tool instead.
 */
public final class Schema {

  /**
   * The longest table name: the DDL derives index, trigger and function names from it ({@code
   * <table>_unpublished} is the longest, 12 characters more), and PostgreSQL cuts identifiers at 63
   * characters, so two derived names of a longer table could become one.
   */
  public static final int MAX_TABLE_LENGTH = 48;

  private static final Pattern IDENTIFIER =
      Pattern.compile("[a-z_][a-z0-9_]{0," + (MAX_TABLE_LENGTH - 1) + "}");

  private Schema() {}

  /**
   * Checks a configured table name: it goes into SQL text, so it must be a plain identifier.
   *
   * @param table the name
   * @return the name
   * @throws IllegalArgumentException if it is not a lower-case SQL identifier of at most {@value
   *     #MAX_TABLE_LENGTH} characters
   */
  public static String checkTable(String table) {
    Objects.requireNonNull(table, "table");
    if (!IDENTIFIER.matcher(table).matches()) {
      throw new IllegalArgumentException(
          "table: '"
              + table
              + "' must be a lower-case SQL identifier (a-z, 0-9, _) of at most "
              + MAX_TABLE_LENGTH
              + " characters, so that the index names derived from it stay distinct");
    }
    return table;
  }

  /**
   * Creates a backend's tables if they do not exist, in the dialect of the data source, in a
   * transaction of its own (committed whatever auto-commit mode the data source hands out).
   *
   * @param dataSource the database
   * @param beside the backend's class, whose package holds the DDL files
   * @param name the DDL file's name before the dialect, as {@code leases}
   * @param table the checked table name
   * @throws dev.keelson.core.BackendException if the database refuses the DDL
   */
  public static void create(DataSource dataSource, Class<?> beside, String name, String table) {
    create(dataSource, beside, name, table, Map.of());
  }

  /**
   * As {@link #create(DataSource, Class, String, String)}, with more of the file's placeholders
   * filled in: {@code ${name}} by each value (the backend's settings that shape its DDL).
   *
   * @param dataSource the database
   * @param beside the backend's class, whose package holds the DDL files
   * @param name the DDL file's name before the dialect, as {@code leases}
   * @param table the checked table name
   * @param values each placeholder's text, by its name
   * @throws dev.keelson.core.BackendException if the database refuses the DDL
   */
  public static void create(
      DataSource dataSource,
      Class<?> beside,
      String name,
      String table,
      Map<String, String> values) {
    try {
      Transaction.own(
          dataSource,
          connection -> {
            try (Statement statement = connection.createStatement()) {
              SqlDialect dialect = SqlDialect.of(connection);
              return statement.execute(
                  ddl(beside, name + "-" + dialect.fileSuffix() + ".sql", table, dialect, values));
            }
          });
    } catch (SQLException e) {
      throw Sql.failure("create the table and its indexes", table, e);
    }
  }

  /** A DDL file's text with the table name in place. */
  private static String ddl(
      Class<?> beside, String file, String table, SqlDialect dialect, Map<String, String> values) {
    try (InputStream in = beside.getResourceAsStream(file)) {
      if (in == null) {
        throw new IllegalStateException(
            beside.getSimpleName() + " does not support " + dialect + ": there is no " + file);
      }
      String ddl =
          new String(in.readAllBytes(), StandardCharsets.UTF_8)
              .replace("${table}", checkTable(table));
      for (Map.Entry<String, String> value : values.entrySet()) {
        ddl = ddl.replace("${" + value.getKey() + "}", value.getValue());
      }
      return ddl;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
