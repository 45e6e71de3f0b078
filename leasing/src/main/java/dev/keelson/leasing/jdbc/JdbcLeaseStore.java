package dev.keelson.leasing.jdbc;

import dev.keelson.leasing.LeaseStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Leases in a PostgreSQL table, timed by the database's clock ({@code now()}). Each operation is
 * one statement: a grant is an {@code INSERT ... ON CONFLICT DO UPDATE ... WHERE expires_at <=
 * now()} that bumps the row's token, renew and release are updates guarded by owner, token and
 * expiry. Rows are never deleted, so tokens keep increasing. DDL: {@code postgresql.sql} beside
 * this class, applied by {@link #createSchema()} or your migration tool.
 */
public final class JdbcLeaseStore implements LeaseStore {

  private final DataSource dataSource;
  private final String table;
  private final String acquire;
  private final String renew;
  private final String release;

  private JdbcLeaseStore(DataSource dataSource, String table) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.table = Sql.checkTable(table);
    this.acquire =
        "INSERT INTO "
            + table
            + " AS l (resource, owner, token, expires_at)"
            + " VALUES (?, ?, 1, now() + make_interval(secs => ?))"
            + " ON CONFLICT (resource) DO UPDATE"
            + " SET owner = EXCLUDED.owner, token = l.token + 1, expires_at = EXCLUDED.expires_at"
            + " WHERE l.expires_at <= now()"
            + " RETURNING token, expires_at";
    this.renew =
        "UPDATE "
            + table
            + " SET expires_at = now() + make_interval(secs => ?)"
            + " WHERE resource = ? AND owner = ? AND token = ? AND expires_at > now()"
            + " RETURNING expires_at";
    this.release =
        "UPDATE "
            + table
            + " SET expires_at = now()"
            + " WHERE resource = ? AND owner = ? AND token = ? AND expires_at > now()";
  }

  /**
   * @param dataSource connections to PostgreSQL (autocommit)
   * @return a store on the table {@code keelson_leases}
   */
  public static JdbcLeaseStore on(DataSource dataSource) {
    return new JdbcLeaseStore(dataSource, "keelson_leases");
  }

  /**
   * @param dataSource connections to PostgreSQL (autocommit)
   * @param table the table: a lower-case SQL identifier
   * @return the store
   */
  public static JdbcLeaseStore on(DataSource dataSource, String table) {
    return new JdbcLeaseStore(dataSource, table);
  }

  /** Creates the table if it does not exist. */
  public void createSchema() {
    Sql.applyDdl(dataSource, "postgresql.sql", table);
  }

  @Override
  public Optional<Grant> tryAcquire(String resource, String owner, Duration ttl) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(acquire)) {
      statement.setString(1, resource);
      statement.setString(2, owner);
      statement.setDouble(3, seconds(ttl));
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        return Optional.of(new Grant(resource, owner, row.getLong(1), instant(row)));
      }
    } catch (SQLException e) {
      throw failure("acquire", resource, e);
    }
  }

  @Override
  public Optional<Grant> renew(Grant grant, Duration ttl) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(renew)) {
      statement.setDouble(1, seconds(ttl));
      statement.setString(2, grant.resource());
      statement.setString(3, grant.owner());
      statement.setLong(4, grant.token());
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Grant(
                grant.resource(), grant.owner(), grant.token(), row.getTimestamp(1).toInstant()));
      }
    } catch (SQLException e) {
      throw failure("renew", grant.resource(), e);
    }
  }

  @Override
  public boolean release(Grant grant) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(release)) {
      statement.setString(1, grant.resource());
      statement.setString(2, grant.owner());
      statement.setLong(3, grant.token());
      return statement.executeUpdate() == 1;
    } catch (SQLException e) {
      throw failure("release", grant.resource(), e);
    }
  }

  private static double seconds(Duration ttl) {
    return ttl.toNanos() / 1e9;
  }

  private static Instant instant(ResultSet row) throws SQLException {
    return row.getTimestamp(2).toInstant();
  }

  private IllegalStateException failure(String operation, String resource, SQLException e) {
    return new IllegalStateException(
        "cannot "
            + operation
            + " the lease of '"
            + resource
            + "' in "
            + table
            + ": "
            + e.getMessage(),
        e);
  }
}
