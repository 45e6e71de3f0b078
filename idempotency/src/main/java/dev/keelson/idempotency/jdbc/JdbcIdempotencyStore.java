package dev.keelson.idempotency.jdbc;

import dev.keelson.core.BackendException;
import dev.keelson.core.internal.jdbc.PerDialect;
import dev.keelson.core.internal.jdbc.Schema;
import dev.keelson.core.internal.jdbc.Sql;
import dev.keelson.core.internal.jdbc.SqlDialect;
import dev.keelson.core.internal.jdbc.Transaction;
import dev.keelson.idempotency.Fingerprint;
import dev.keelson.idempotency.IdempotencyKey;
import dev.keelson.idempotency.IdempotencyStore;
import dev.keelson.idempotency.internal.IdempotencyChecks;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Idempotency records in a database table, timed by the database's clock: PostgreSQL, or H2 as the
 * embedded default (the dialect is read from the connection). Begin is one transaction: an {@code
 * INSERT ... ON CONFLICT DO NOTHING} (H2: an insert whose duplicate-key error is expected), then,
 * if the key exists, the row is read {@code FOR UPDATE} and decided on; complete and release are
 * single statements guarded by the owner token. Each operation commits in a transaction of its own,
 * whatever auto-commit mode the pool hands out. Rows past their retention count as absent; {@link
 * #purgeExpired} deletes them. A completed row with no result is a request executed whose result
 * was not kept. DDL: {@code idempotency-postgresql.sql} and {@code idempotency-h2.sql} beside this
 * class, applied by {@link #createSchema()} or your migration tool.
 */
public final class JdbcIdempotencyStore implements IdempotencyStore {

  private final DataSource dataSource;
  private final String table;
  private final PerDialect<Statements> statements;

  private JdbcIdempotencyStore(Builder builder) {
    this.dataSource = builder.dataSource;
    this.table = builder.table;
    this.statements = PerDialect.of(dialect -> new Statements(dialect, this.table));
  }

  /**
   * A store on the table {@code keelson_idempotency}: {@code builder(dataSource).build()}.
   *
   * @param dataSource connections to PostgreSQL or H2
   * @return the store
   */
  public static JdbcIdempotencyStore on(DataSource dataSource) {
    return builder(dataSource).build();
  }

  /**
   * @param dataSource connections to PostgreSQL or H2
   * @return a builder of a store on {@code keelson_idempotency}
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** Creates the table and its index on expiry if they do not exist. */
  public void createSchema() {
    Schema.create(dataSource, JdbcIdempotencyStore.class, "idempotency", table);
  }

  @Override
  public Begin begin(
      IdempotencyKey key,
      Fingerprint fingerprint,
      String owner,
      Duration lease,
      Duration retention) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(fingerprint, "fingerprint");
    IdempotencyChecks.owner(owner);
    IdempotencyChecks.durations(lease, retention);
    Attempt attempt = new Attempt(key, fingerprint, owner, lease, retention);
    try {
      return Transaction.own(dataSource, tx -> begin(tx, statements.of(tx), attempt));
    } catch (SQLException e) {
      throw failure("begin", key, e);
    }
  }

  /** What one begin asks for. */
  private record Attempt(
      IdempotencyKey key,
      Fingerprint fingerprint,
      String owner,
      Duration lease,
      Duration retention) {}

  private Begin begin(Connection connection, Statements sql, Attempt attempt) throws SQLException {
    IdempotencyKey key = attempt.key();
    // A key released or purged between the insert and the read is simply tried again.
    while (true) {
      if (insert(connection, sql, attempt)) {
        return new Started(false);
      }
      @Nullable Begin decided =
          Sql.first(
              connection,
              sql.read,
              read -> {
                read.setString(1, key.namespace());
                read.setString(2, key.key());
              },
              row -> decide(connection, sql, attempt, row));
      if (decided != null) {
        return decided;
      }
    }
  }

  /** What the locked row of an existing key means for this attempt. */
  private static Begin decide(Connection connection, Statements sql, Attempt attempt, ResultSet row)
      throws SQLException {
    boolean expired = row.getBoolean(5);
    if (!expired && !row.getString(1).equals(attempt.fingerprint().hex())) {
      return new Mismatch();
    }
    if (!expired && row.getString(2).equals("completed")) {
      byte[] result = row.getBytes(4);
      return result == null ? new CompletedWithoutResult() : new Completed(result);
    }
    boolean leaseRunning = row.getBoolean(6);
    if (!expired && leaseRunning) {
      return new Running(row.getObject(3, OffsetDateTime.class).toInstant());
    }
    restart(connection, sql, attempt);
    return new Started(!expired);
  }

  /** Inserts a running record; false if the key already has one. */
  private static boolean insert(Connection connection, Statements sql, Attempt attempt)
      throws SQLException {
    try {
      return Sql.update(
              connection,
              sql.insert,
              insert -> {
                insert.setString(1, attempt.key().namespace());
                insert.setString(2, attempt.key().key());
                insert.setString(3, attempt.fingerprint().hex());
                insert.setString(4, attempt.owner());
                insert.setLong(5, attempt.lease().toMillis());
                insert.setLong(6, attempt.retention().toMillis());
              })
          == 1;
    } catch (SQLException e) {
      if (SqlDialect.isUniqueViolation(e)) {
        return false; // H2 has no ON CONFLICT DO NOTHING: the duplicate key is the answer
      }
      throw e;
    }
  }

  /** Makes the locked row a fresh running record for this owner (a takeover or a reuse). */
  private static void restart(Connection connection, Statements sql, Attempt attempt)
      throws SQLException {
    Sql.update(
        connection,
        sql.restart,
        restart -> {
          restart.setString(1, attempt.fingerprint().hex());
          restart.setString(2, attempt.owner());
          restart.setLong(3, attempt.lease().toMillis());
          restart.setLong(4, attempt.retention().toMillis());
          restart.setString(5, attempt.key().namespace());
          restart.setString(6, attempt.key().key());
        });
  }

  @Override
  public boolean complete(IdempotencyKey key, String owner, byte[] result, Duration retention) {
    Objects.requireNonNull(result, "result");
    return completed(key, owner, result, retention);
  }

  @Override
  public boolean completeWithoutResult(IdempotencyKey key, String owner, Duration retention) {
    return completed(key, owner, null, retention);
  }

  /** One statement: completes this owner's running record, or finds it completed by this owner. */
  private boolean completed(
      IdempotencyKey key, String owner, byte @Nullable [] result, Duration retention) {
    Objects.requireNonNull(key, "key");
    IdempotencyChecks.owner(owner);
    IdempotencyChecks.durations(null, retention);
    try {
      return Transaction.ownStatement(
          dataSource,
          connection ->
              Sql.update(
                      connection,
                      statements.of(connection).complete,
                      complete -> {
                        complete.setBytes(1, result);
                        complete.setLong(2, retention.toMillis());
                        complete.setString(3, key.namespace());
                        complete.setString(4, key.key());
                        complete.setString(5, owner);
                      })
                  == 1);
    } catch (SQLException e) {
      throw failure("complete", key, e);
    }
  }

  @Override
  public boolean release(IdempotencyKey key, String owner) {
    Objects.requireNonNull(key, "key");
    IdempotencyChecks.owner(owner);
    try {
      return Transaction.ownStatement(
          dataSource,
          connection ->
              Sql.update(
                      connection,
                      statements.of(connection).release,
                      release -> {
                        release.setString(1, key.namespace());
                        release.setString(2, key.key());
                        release.setString(3, owner);
                      })
                  == 1);
    } catch (SQLException e) {
      throw failure("release", key, e);
    }
  }

  /**
   * Deletes records past their retention, in batches of 1,000, each in a transaction of its own so
   * none grows large. Run it now and then (hourly is plenty): expired records are already treated
   * as absent, this only frees space. A record that a concurrent {@link #begin} has just renewed is
   * never deleted: the deleting statement checks the expiry again.
   *
   * @return how many were deleted
   */
  public long purgeExpired() {
    long purged = 0;
    try {
      int batch;
      do {
        batch =
            Transaction.ownStatement(
                dataSource,
                connection ->
                    Sql.update(
                        connection,
                        statements.of(connection).purge,
                        purge -> purge.setInt(1, 1000)));
        purged += batch;
      } while (batch == 1000);
      return purged;
    } catch (SQLException e) {
      throw Sql.failure("purge expired records", table, e);
    }
  }

  private BackendException failure(String operation, IdempotencyKey key, SQLException e) {
    return Sql.failure(operation + " idempotency key " + key, table, e);
  }

  /** Settings of a {@link JdbcIdempotencyStore}. */
  public static final class Builder {
    private final DataSource dataSource;
    private String table = "keelson_idempotency";

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * @param table the table (default {@code keelson_idempotency}): a lower-case SQL identifier
     * @return this builder
     */
    public Builder table(String table) {
      this.table = Schema.checkTable(table);
      return this;
    }

    /**
     * @return the store
     */
    public JdbcIdempotencyStore build() {
      return new JdbcIdempotencyStore(this);
    }
  }

  /** The store's statements in one dialect; only the clock and the insert differ. */
  private static final class Statements {
    final String insert;
    final String read;
    final String restart;
    final String complete;
    final String release;
    final String purge;

    Statements(SqlDialect dialect, String t) {
      String now = dialect == SqlDialect.POSTGRESQL ? "now()" : "CURRENT_TIMESTAMP";
      String nowPlusMillis =
          dialect == SqlDialect.POSTGRESQL
              ? "now() + ? * interval '1 millisecond'"
              : "DATEADD(MILLISECOND, ?, CURRENT_TIMESTAMP)";
      this.insert =
          "INSERT INTO "
              + t
              + " (namespace, idempotency_key, fingerprint, state, owner, lease_until, expires_at)"
              + " VALUES (?, ?, ?, 'running', ?, "
              + nowPlusMillis
              + ", "
              + nowPlusMillis
              + ")"
              + (dialect == SqlDialect.POSTGRESQL ? " ON CONFLICT DO NOTHING" : "");
      this.read =
          "SELECT fingerprint, state, lease_until, result, expires_at <= "
              + now
              + ", lease_until > "
              + now
              + " FROM "
              + t
              + " WHERE namespace = ? AND idempotency_key = ? FOR UPDATE";
      this.restart =
          "UPDATE "
              + t
              + " SET fingerprint = ?, state = 'running', owner = ?, result = NULL, lease_until = "
              + nowPlusMillis
              + ", expires_at = "
              + nowPlusMillis
              + " WHERE namespace = ? AND idempotency_key = ?";
      // A record this owner completed already stays as it is (a retried completion), and counts.
      this.complete =
          "UPDATE "
              + t
              + " SET result = CASE WHEN state = 'running' THEN ? ELSE result END,"
              + " expires_at = CASE WHEN state = 'running' THEN "
              + nowPlusMillis
              + " ELSE expires_at END, state = 'completed'"
              + " WHERE namespace = ? AND idempotency_key = ? AND owner = ?";
      this.release =
          "DELETE FROM "
              + t
              + " WHERE namespace = ? AND idempotency_key = ? AND state = 'running' AND owner = ?";
      this.purge =
          "DELETE FROM "
              + t
              + " WHERE (namespace, idempotency_key) IN (SELECT namespace, idempotency_key FROM "
              + t
              + " WHERE expires_at <= "
              + now
              + " LIMIT ?) AND expires_at <= "
              + now;
    }
  }
}
