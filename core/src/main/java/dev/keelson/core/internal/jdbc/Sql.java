package dev.keelson.core.internal.jdbc;

import dev.keelson.core.BackendException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Every statement a JDBC backend runs, in one shape: prepare, bind, execute, map, close; and the
 * one rule for a statement that fails: a {@link BackendException} that names the operation, its
 * subject and the table, then the driver's message, with the driver's exception as its cause.
 *
 * <pre>{@code
 * int renewed = Sql.update(connection, renew, s -> {
 *   s.setString(1, resource);
 *   s.setLong(2, token);
 * });
 * }</pre>
 */
public final class Sql {

  private Sql() {}

  /** Sets a statement's parameters. */
  @FunctionalInterface
  public interface Parameters {
    /** No parameters. */
    Parameters NONE = statement -> {};

    void bind(PreparedStatement statement) throws SQLException;
  }

  /**
   * Reads one row.
   *
   * @param <T> what a row becomes
   */
  @FunctionalInterface
  public interface Row<T> {
    T map(ResultSet row) throws SQLException;
  }

  /**
   * Sets the parameters of one batched execution.
   *
   * @param <T> what one execution is for
   */
  @FunctionalInterface
  public interface ItemParameters<T> {
    void bind(PreparedStatement statement, T item) throws SQLException;
  }

  /** Takes one row. */
  @FunctionalInterface
  public interface RowAction {
    void take(ResultSet row) throws SQLException;
  }

  /**
   * Runs an {@code INSERT}, {@code UPDATE} or {@code DELETE}.
   *
   * @return how many rows it changed
   */
  public static int update(Connection connection, String sql, Parameters parameters)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      parameters.bind(statement);
      return statement.executeUpdate();
    }
  }

  /**
   * Runs a query (or a statement with {@code RETURNING}) and maps its first row.
   *
   * @return the first row, or null if there is none
   */
  public static <T> @Nullable T first(
      Connection connection, String sql, Parameters parameters, Row<T> row) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      parameters.bind(statement);
      try (ResultSet rows = statement.executeQuery()) {
        return rows.next() ? row.map(rows) : null;
      }
    }
  }

  /**
   * Runs a query (or a statement with {@code RETURNING}) and maps every row.
   *
   * @return the rows, in the order the database gave them
   */
  public static <T> List<T> list(
      Connection connection, String sql, Parameters parameters, Row<T> row) throws SQLException {
    List<T> mapped = new ArrayList<>();
    forEach(connection, sql, parameters, rows -> mapped.add(row.map(rows)));
    return mapped;
  }

  /**
   * Runs a query (or a statement with {@code RETURNING}) and hands each row over, for a reader that
   * sorts rows into more than one list.
   */
  public static void forEach(
      Connection connection, String sql, Parameters parameters, RowAction action)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      parameters.bind(statement);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          action.take(rows);
        }
      }
    }
  }

  /**
   * Runs one statement once per item, in one JDBC batch (one round trip on drivers that batch).
   *
   * @return the items' update counts, as the driver reports them
   */
  public static <T> int[] batch(
      Connection connection, String sql, List<T> items, ItemParameters<? super T> parameters)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (T item : items) {
        parameters.bind(statement, item);
        statement.addBatch();
      }
      return statement.executeBatch();
    }
  }

  /**
   * The failure of a backend operation, worded the one way every JDBC backend words it.
   *
   * @param operation what was done, with its subject: {@code "renew the lease of 'report'"}
   * @param table where
   * @param e what the driver said
   * @return {@code cannot <operation> in <table>: <driver's message>}
   */
  public static BackendException failure(String operation, String table, SQLException e) {
    return new BackendException("cannot " + operation + " in " + table + ": " + e.getMessage(), e);
  }
}
