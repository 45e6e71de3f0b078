package dev.keelson.leasing.jdbc;

import dev.keelson.core.internal.Checks;
import dev.keelson.core.internal.jdbc.Schema;
import dev.keelson.core.internal.jdbc.Sql;
import dev.keelson.core.internal.jdbc.SqlDialect;
import dev.keelson.core.internal.jdbc.Transaction;
import java.sql.Connection;
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
 * boolean written = fence.admit(connection, "report-2026-11", lease.token(), tx -> writeReport(tx));
 * // false: a newer holder has written, this one is a zombie and wrote nothing
 * }</pre>
 *
 * <p>In the caller's transaction (auto-commit off), with the caller committing:
 *
 * <pre>{@code
 * if (!fence.admit(connection, "report-2026-11", lease.token())) {
 *   connection.rollback();
 *   return;
 * }
 * writeReport(connection);
 * connection.commit();
 * }</pre>
 *
 * <p>The same pattern works on a table of your own: keep a {@code fence} column and guard the
 * update with it, {@code UPDATE t SET ..., fence = :token WHERE id = :id AND fence <= :token}; an
 * update count of 0 means the token is stale. Equal tokens pass: one lease may write many times.
 * Works on PostgreSQL ({@code INSERT ... ON CONFLICT DO UPDATE ... WHERE}) and H2 ({@code MERGE}).
 */
public final class JdbcFence {

  private final String table;
  private final String postgresAdmit;
  private final String h2Admit;

  private JdbcFence(String table) {
    this.table = table;
    this.postgresAdmit =
        "INSERT INTO "
            + table
            + " AS f (resource, token) VALUES (?, ?)"
            + " ON CONFLICT (resource) DO UPDATE SET token = EXCLUDED.token"
            + " WHERE f.token <= EXCLUDED.token";
    this.h2Admit =
        "MERGE INTO "
            + table
            + " AS f USING (VALUES (CAST(? AS VARCHAR), CAST(? AS BIGINT))) AS g (resource, token)"
            + " ON f.resource = g.resource"
            + " WHEN MATCHED AND f.token <= g.token THEN UPDATE SET token = g.token"
            + " WHEN NOT MATCHED THEN INSERT (resource, token) VALUES (g.resource, g.token)";
  }

  /**
   * Fences in the table {@code keelson_fences}: {@code builder().build()}.
   *
   * @return the fences
   */
  public static JdbcFence withDefaults() {
    return builder().build();
  }

  /**
   * @return a builder of fences in {@code keelson_fences}
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the fence table if it does not exist.
   *
   * @param dataSource where
   */
  public void createSchema(DataSource dataSource) {
    Schema.create(dataSource, JdbcFence.class, "fences", table);
  }

  /** The protected write, on the connection of the fenced transaction. */
  @FunctionalInterface
  public interface Write {
    void run(Connection connection) throws SQLException;
  }

  /**
   * Admits a writer with this token and runs its write, both in one transaction: the caller's if
   * the connection is in one (commit afterwards; roll back if this returns false or throws), or, on
   * an auto-commit connection, one of its own, committed before this returns.
   *
   * @param connection the writer's connection
   * @param resource the protected resource
   * @param token the writer's fencing token
   * @param write the protected write, run only if the token is admitted
   * @return true if the token was admitted and the write ran; false if the token is stale: nothing
   *     was written
   * @throws SQLException if the database or the write fails (on an auto-commit connection, rolled
   *     back)
   */
  public boolean admit(Connection connection, String resource, long token, Write write)
      throws SQLException {
    Objects.requireNonNull(connection, "connection");
    checkResource(resource);
    Objects.requireNonNull(write, "write");
    return Transaction.joinOrOwn(
        connection,
        tx -> {
          if (!admitInTransaction(tx, resource, token)) {
            return false;
          }
          write.run(tx);
          return true;
        });
  }

  /**
   * Admits a writer with this token to the resource, in the caller's transaction: the fence row
   * stays locked until that transaction ends, and the caller's writes after this call commit with
   * the recorded token.
   *
   * @param connection the writer's connection, in its transaction (auto-commit off)
   * @param resource the protected resource
   * @param token the writer's fencing token
   * @return true if the token is at least the highest accepted (now recorded); false if it is
   *     stale: the caller must not write
   * @throws SQLException if the database fails
   * @throws IllegalStateException if the connection auto-commits: the token would commit at once
   *     and the caller's write would not be fenced; use {@link #admit(Connection, String, long,
   *     Write)} instead
   */
  public boolean admit(Connection connection, String resource, long token) throws SQLException {
    Objects.requireNonNull(connection, "connection");
    checkResource(resource);
    if (connection.getAutoCommit()) {
      throw new IllegalStateException(
          "admit needs the writer's transaction, but the connection auto-commits: call"
              + " setAutoCommit(false) first, or pass the write to admit(connection, resource,"
              + " token, write)");
    }
    return admitInTransaction(connection, resource, token);
  }

  private boolean admitInTransaction(Connection connection, String resource, long token)
      throws SQLException {
    if (SqlDialect.of(connection) == SqlDialect.POSTGRESQL) {
      return admitOnce(connection, postgresAdmit, resource, token);
    }
    try {
      return admitOnce(connection, h2Admit, resource, token);
    } catch (SQLException e) {
      if (!SqlDialect.isUniqueViolation(e)) {
        throw e;
      }
      // H2: a racing writer inserted the resource's first fence; now it is there to compare with.
      return admitOnce(connection, h2Admit, resource, token);
    }
  }

  // A fence's resource lives in a table, not a Redis key: unlike a lease's, it may hold '{' and
  // '}'.
  private static void checkResource(String resource) {
    Checks.text("resource", resource, 512);
  }

  private static boolean admitOnce(Connection connection, String sql, String resource, long token)
      throws SQLException {
    return Sql.update(
            connection,
            sql,
            statement -> {
              statement.setString(1, resource);
              statement.setLong(2, token);
            })
        == 1;
  }

  /** Settings of a {@link JdbcFence}. */
  public static final class Builder {
    private String table = "keelson_fences";

    private Builder() {}

    /**
     * @param table the fence table (default {@code keelson_fences}): a lower-case SQL identifier
     * @return this builder
     */
    public Builder table(String table) {
      this.table = Schema.checkTable(table);
      return this;
    }

    /**
     * @return the fences
     */
    public JdbcFence build() {
      return new JdbcFence(table);
    }
  }
}
