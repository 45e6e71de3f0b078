package dev.keelson.leasing.jdbc;

import dev.keelson.core.BackendException;
import dev.keelson.core.internal.jdbc.PerDialect;
import dev.keelson.core.internal.jdbc.Schema;
import dev.keelson.core.internal.jdbc.Sql;
import dev.keelson.core.internal.jdbc.SqlDialect;
import dev.keelson.core.internal.jdbc.Transaction;
import dev.keelson.leasing.LeaseStore;
import dev.keelson.leasing.internal.LeaseChecks;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Leases in a database table, timed by the database's clock: PostgreSQL, or H2 as the embedded
 * default (the dialect is read from the connection). Each operation is one statement: a grant is an
 * upsert ({@code INSERT ... ON CONFLICT DO UPDATE ... WHERE expires_at <= now()} on PostgreSQL,
 * {@code MERGE} on H2) that bumps the row's token; renew and release are updates guarded by owner,
 * token and expiry. Rows are never deleted, so tokens keep increasing. Each operation commits in a
 * transaction of its own, whatever auto-commit mode the pool hands out, and is bounded by its
 * timeout through the driver's network timeout (a pool's wait for a connection is the pool's to
 * bound). DDL: {@code leases-postgresql.sql} and {@code leases-h2.sql} beside this class, applied
 * by {@link #createSchema()} or your migration tool.
 */
public final class JdbcLeaseStore implements LeaseStore {

  private final DataSource dataSource;
  private final String table;
  private final PerDialect<Statements> statements;

  private JdbcLeaseStore(Builder builder) {
    this.dataSource = builder.dataSource;
    this.table = builder.table;
    this.statements = PerDialect.of(dialect -> Statements.of(dialect, this.table));
  }

  /**
   * A store on the table {@code keelson_leases}: {@code builder(dataSource).build()}.
   *
   * @param dataSource connections to PostgreSQL or H2, auto-commit on or off
   * @return the store
   */
  public static JdbcLeaseStore on(DataSource dataSource) {
    return builder(dataSource).build();
  }

  /**
   * @param dataSource connections to PostgreSQL or H2, auto-commit on or off
   * @return a builder of a store on {@code keelson_leases}
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** Creates the table if it does not exist. */
  public void createSchema() {
    Schema.create(dataSource, JdbcLeaseStore.class, "leases", table);
  }

  @Override
  public Optional<Grant> tryAcquire(String resource, String owner, Duration ttl, Duration timeout) {
    LeaseChecks.resource(resource);
    LeaseChecks.owner(owner);
    LeaseChecks.ttl(ttl);
    LeaseChecks.timeout(timeout);
    try {
      return Transaction.ownStatement(
          dataSource,
          timeout,
          connection ->
              Optional.ofNullable(
                  Sql.first(
                      connection,
                      statements.of(connection).acquire,
                      statement -> {
                        statement.setString(1, resource);
                        statement.setString(2, owner);
                        statement.setLong(3, ttl.toMillis());
                      },
                      row ->
                          new Grant(
                              resource,
                              owner,
                              row.getLong(1),
                              row.getObject(2, OffsetDateTime.class).toInstant()))));
    } catch (SQLException e) {
      if (SqlDialect.isUniqueViolation(e)) {
        return Optional.empty(); // H2: another owner inserted the resource's first row first
      }
      throw failure("acquire", resource, e);
    }
  }

  @Override
  public Optional<Grant> renew(Grant grant, Duration ttl, Duration timeout) {
    LeaseChecks.grant(grant);
    LeaseChecks.ttl(ttl);
    LeaseChecks.timeout(timeout);
    try {
      return Transaction.ownStatement(
          dataSource,
          timeout,
          connection ->
              Optional.ofNullable(
                  Sql.first(
                      connection,
                      statements.of(connection).renew,
                      statement -> {
                        statement.setLong(1, ttl.toMillis());
                        statement.setString(2, grant.resource());
                        statement.setString(3, grant.owner());
                        statement.setLong(4, grant.token());
                      },
                      row ->
                          new Grant(
                              grant.resource(),
                              grant.owner(),
                              grant.token(),
                              row.getObject(1, OffsetDateTime.class).toInstant()))));
    } catch (SQLException e) {
      throw failure("renew", grant.resource(), e);
    }
  }

  @Override
  public boolean release(Grant grant, Duration timeout) {
    LeaseChecks.grant(grant);
    LeaseChecks.timeout(timeout);
    try {
      return Transaction.ownStatement(
          dataSource,
          timeout,
          connection ->
              Sql.update(
                      connection,
                      statements.of(connection).release,
                      statement -> {
                        statement.setString(1, grant.resource());
                        statement.setString(2, grant.owner());
                        statement.setLong(3, grant.token());
                      })
                  == 1);
    } catch (SQLException e) {
      throw failure("release", grant.resource(), e);
    }
  }

  /**
   * The three operations in one dialect, with the same parameters: acquire (resource, owner, ttl
   * ms) and renew (ttl ms, resource, owner, token) return the token and expiry; release (resource,
   * owner, token) counts rows.
   */
  private record Statements(String acquire, String renew, String release) {

    static Statements of(SqlDialect dialect, String t) {
      return switch (dialect) {
        case POSTGRESQL ->
            new Statements(
                "INSERT INTO "
                    + t
                    + " AS l (resource, owner, token, expires_at)"
                    + " VALUES (?, ?, 1, now() + ? * interval '1 millisecond')"
                    + " ON CONFLICT (resource) DO UPDATE"
                    + " SET owner = EXCLUDED.owner, token = l.token + 1,"
                    + " expires_at = EXCLUDED.expires_at"
                    + " WHERE l.expires_at <= now()"
                    + " RETURNING token, expires_at",
                "UPDATE "
                    + t
                    + " SET expires_at = now() + ? * interval '1 millisecond'"
                    + " WHERE resource = ? AND owner = ? AND token = ? AND expires_at > now()"
                    + " RETURNING expires_at",
                release(t, "now()"));
        case H2 ->
            new Statements(
                "SELECT token, expires_at FROM FINAL TABLE (MERGE INTO "
                    + t
                    + " AS l USING (VALUES (CAST(? AS VARCHAR), CAST(? AS VARCHAR),"
                    + " CAST(? AS BIGINT))) AS g (resource, owner, ms)"
                    + " ON l.resource = g.resource"
                    + " WHEN MATCHED AND l.expires_at <= CURRENT_TIMESTAMP THEN UPDATE"
                    + " SET owner = g.owner, token = l.token + 1,"
                    + " expires_at = DATEADD(MILLISECOND, g.ms, CURRENT_TIMESTAMP)"
                    + " WHEN NOT MATCHED THEN INSERT (resource, owner, token, expires_at)"
                    + " VALUES (g.resource, g.owner, 1, DATEADD(MILLISECOND, g.ms, CURRENT_TIMESTAMP)))",
                "SELECT expires_at FROM FINAL TABLE (UPDATE "
                    + t
                    + " SET expires_at = DATEADD(MILLISECOND, ?, CURRENT_TIMESTAMP)"
                    + " WHERE resource = ? AND owner = ? AND token = ?"
                    + " AND expires_at > CURRENT_TIMESTAMP)",
                release(t, "CURRENT_TIMESTAMP"));
      };
    }

    private static String release(String t, String now) {
      return "UPDATE "
          + t
          + " SET expires_at = "
          + now
          + " WHERE resource = ? AND owner = ? AND token = ? AND expires_at > "
          + now;
    }
  }

  private BackendException failure(String operation, String resource, SQLException e) {
    return Sql.failure(operation + " the lease of '" + resource + "'", table, e);
  }

  /** Settings of a {@link JdbcLeaseStore}. */
  public static final class Builder {
    private final DataSource dataSource;
    private String table = "keelson_leases";

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * @param table the table (default {@code keelson_leases}): a lower-case SQL identifier
     * @return this builder
     */
    public Builder table(String table) {
      this.table = Schema.checkTable(table);
      return this;
    }

    /**
     * @return the store
     */
    public JdbcLeaseStore build() {
      return new JdbcLeaseStore(this);
    }
  }
}
