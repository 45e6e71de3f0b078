package dev.keelson.leasing.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Makes a database refuse a stale lease holder's writes: inside the writer's own transaction,
 * {@link #admit} records the writer's fencing token for the resource if it is at least the highest
 * one accepted so far, and says no otherwise; the writer then rolls back instead of writing. The
 * fence row stays locked until the transaction ends, so a stale writer racing a newer one waits and
 * then sees the newer token.
 *
 * <pre>{@code
 * connection.setAutoCommit(false);
 * if (!fence.admit(connection, "report-2026-11", lease.token())) {
 *   connection.rollback();   // a newer holder has written: this one is a zombie
 *   return;
 * }
 * writeReport(connection);
 * connection.commit();
 * }</pre>
 *
 * <p>The same pattern works on a table of your own: keep a {@code fence} column and guard the
 * update with it, {@code UPDATE t SET ..., fence = :token WHERE id = :id AND fence <= :token}; an
 * update count of 0 means the token is stale. Equal tokens pass: one lease may write many times.
 */
public final class JdbcFence {

  private final String table;
  private final String admit;

  private JdbcFence(String table) {
    this.table = Sql.checkTable(table);
    this.admit =
        "INSERT INTO "
            + table
            + " AS f (resource, token) VALUES (?, ?)"
            + " ON CONFLICT (resource) DO UPDATE SET token = EXCLUDED.token"
            + " WHERE f.token <= EXCLUDED.token";
  }

  /**
   * @return fences in the table {@code keelson_fences}
   */
  public static JdbcFence onDefaultTable() {
    return new JdbcFence("keelson_fences");
  }

  /**
   * @param table the fence table: a lower-case SQL identifier
   * @return fences in that table
   */
  public static JdbcFence onTable(String table) {
    return new JdbcFence(table);
  }

  /**
   * Creates the fence table if it does not exist.
   *
   * @param dataSource where
   */
  public void createSchema(DataSource dataSource) {
    Sql.applyDdl(dataSource, "fences-postgresql.sql", table);
  }

  /**
   * Admits a writer with this token to the resource, in the caller's transaction.
   *
   * @param connection the writer's connection, in its transaction
   * @param resource the protected resource
   * @param token the writer's fencing token
   * @return true if the token is at least the highest accepted (now recorded); false if it is
   *     stale: the caller must not write
   * @throws SQLException if the database fails
   */
  public boolean admit(Connection connection, String resource, long token) throws SQLException {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(resource, "resource");
    try (PreparedStatement statement = connection.prepareStatement(admit)) {
      statement.setString(1, resource);
      statement.setLong(2, token);
      return statement.executeUpdate() == 1;
    }
  }
}
