package dev.keelson.leasing.jdbc;

import dev.keelson.core.BackendException;
import dev.keelson.core.internal.jdbc.Schema;
import dev.keelson.core.internal.jdbc.Sql;
import dev.keelson.core.internal.jdbc.Transaction;
import dev.keelson.leasing.ClaimedTask;
import dev.keelson.leasing.FencedTaskQueue;
import dev.keelson.leasing.internal.LeaseChecks;
import dev.keelson.retry.Backoff;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A work queue in a PostgreSQL table, with fenced claims. Workers claim up to N due tasks with
 * {@code FOR UPDATE SKIP LOCKED} (so they never wait on each other); each claim is a lease: it runs
 * out after the claim time and bumps the task's fencing token. Complete or fail with the claimed
 * task: a stale claim (the task was reclaimed since) is refused and changes nothing. A failed task
 * is rescheduled after a backoff (the retry module's {@link Backoff}); after {@code maxAttempts}
 * claims it goes to the dead state with its last error. Times are the database's. Every operation
 * on the data source commits in a transaction of its own, whatever auto-commit mode the pool hands
 * out; {@link #enqueue(Connection, String, byte[])} joins the caller's.
 *
 * <p>PostgreSQL only: H2 applies {@code LIMIT} before it skips locked rows, so its workers would
 * find nothing while one of them holds the oldest task; {@link #createSchema()} says so.
 */
public final class JdbcTaskQueue extends FencedTaskQueue {

  private final DataSource dataSource;
  private final String table;
  private final String enqueue;
  private final String buryExhausted;
  private final String claim;
  private final String complete;
  private final String reschedule;
  private final String bury;

  private JdbcTaskQueue(Builder builder) {
    super(builder, builder.table);
    this.dataSource = builder.dataSource;
    this.table = builder.table;
    String t = table;
    this.enqueue = "INSERT INTO " + t + " (queue, payload) VALUES (?, ?) RETURNING id";
    this.buryExhausted =
        "UPDATE "
            + t
            + " SET state = 'dead', last_error = coalesce(last_error, 'claim ran out ' || attempts || ' times')"
            + " WHERE queue = ? AND state = 'pending' AND due_at <= now() AND attempts >= ?"
            + " RETURNING id, last_error";
    // The CTE reads the previous owner before the update overwrites it: an owner left on a due task
    // means its claim ran out (a failure clears the owner), so this claim is a reclaim.
    this.claim =
        "WITH picked AS (SELECT id, owner, due_at FROM "
            + t
            + " WHERE queue = ? AND state = 'pending' AND due_at <= now()"
            + " ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED)"
            + " UPDATE "
            + t
            + " AS task SET token = task.token + 1, attempts = task.attempts + 1, owner = ?,"
            + " due_at = now() + make_interval(secs => ?)"
            + " FROM picked WHERE task.id = picked.id"
            + " RETURNING task.id, task.payload, task.token, task.attempts, picked.owner,"
            + " picked.due_at, task.last_delay_ms";
    this.complete =
        "UPDATE "
            + t
            + " SET state = 'done', due_at = now() WHERE id = ? AND token = ? AND state = 'pending'";
    this.reschedule =
        "UPDATE "
            + t
            + " SET due_at = now() + make_interval(secs => ?), last_delay_ms = ?, last_error = ?,"
            + " owner = NULL"
            + " WHERE id = ? AND token = ? AND state = 'pending'";
    this.bury =
        "UPDATE "
            + t
            + " SET state = 'dead', last_error = ? WHERE id = ? AND token = ? AND state = 'pending'";
  }

  /**
   * A queue on the table {@code keelson_tasks} with the defaults (see {@link Builder}): {@code
   * builder(dataSource).build()}.
   *
   * @param dataSource connections to PostgreSQL, auto-commit on or off
   * @return the queue
   */
  public static JdbcTaskQueue on(DataSource dataSource) {
    return builder(dataSource).build();
  }

  /**
   * @param dataSource connections to PostgreSQL, auto-commit on or off
   * @return a builder
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** Creates the table and its partial index on pending tasks, if they do not exist. */
  public void createSchema() {
    Schema.create(dataSource, JdbcTaskQueue.class, "tasks", table);
  }

  /**
   * Adds a task, due now, in the caller's transaction (so it appears only if that commits); on an
   * auto-commit connection the insert commits by itself.
   *
   * @param connection the caller's connection
   * @param queue the queue
   * @param payload what to do
   * @return the task's id
   * @throws SQLException if the database fails
   */
  public long enqueue(Connection connection, String queue, byte[] payload) throws SQLException {
    Objects.requireNonNull(connection, "connection");
    LeaseChecks.queue(queue);
    Objects.requireNonNull(payload, "payload");
    return insert(connection, queue, payload);
  }

  /** One statement: in the caller's transaction, or committing by itself. */
  private long insert(Connection connection, String queue, byte[] payload) throws SQLException {
    return Objects.requireNonNull(
        Sql.first(
            connection,
            enqueue,
            statement -> {
              statement.setString(1, queue);
              statement.setBytes(2, payload);
            },
            row -> row.getLong(1)),
        "INSERT ... RETURNING gave no row");
  }

  /**
   * Adds a task, due now, in a transaction of its own.
   *
   * @param queue the queue
   * @param payload what to do
   * @return the task's id
   */
  @Override
  public long enqueue(String queue, byte[] payload) {
    LeaseChecks.queue(queue);
    Objects.requireNonNull(payload, "payload");
    try {
      return Transaction.ownStatement(dataSource, connection -> insert(connection, queue, payload));
    } catch (SQLException e) {
      throw failure("enqueue a task on", queue, e);
    }
  }

  /** One transaction: bury the exhausted due tasks, then claim with {@code SKIP LOCKED}. */
  @Override
  protected Claims claimDue(
      String queue, String owner, int max, Duration claimTime, int maxAttempts) {
    try {
      return Transaction.own(
          dataSource,
          tx -> {
            List<Buried> buried =
                Sql.list(
                    tx,
                    buryExhausted,
                    exhausted -> {
                      exhausted.setString(1, queue);
                      exhausted.setInt(2, maxAttempts);
                    },
                    row -> new Buried(row.getLong(1), row.getString(2)));
            List<DueClaim> claimed =
                Sql.list(
                    tx,
                    claim,
                    claiming -> {
                      claiming.setString(1, queue);
                      claiming.setInt(2, max);
                      claiming.setString(3, owner);
                      claiming.setDouble(4, claimTime.toNanos() / 1e9);
                    },
                    row -> claimed(queue, row));
            claimed.sort(DueClaim.OLDEST_DUE_FIRST);
            return new Claims(claimed.stream().map(DueClaim::claim).toList(), buried);
          });
    } catch (SQLException e) {
      throw failure("claim tasks from", queue, e);
    }
  }

  private static DueClaim claimed(String queue, ResultSet row) throws SQLException {
    ClaimedTask task =
        new ClaimedTask(
            row.getLong(1),
            queue,
            row.getBytes(2),
            row.getLong(3),
            row.getInt(4),
            Duration.ofMillis(row.getLong(7)));
    return new DueClaim(new Claim(task, row.getString(5)), row.getTimestamp(6));
  }

  /** RETURNING keeps no order, so claims carry their due time to be sorted by. */
  private record DueClaim(Claim claim, Timestamp dueAt) {
    static final Comparator<DueClaim> OLDEST_DUE_FIRST =
        Comparator.comparing(DueClaim::dueAt).thenComparing(due -> due.claim().task().id());
  }

  @Override
  protected boolean markDone(ClaimedTask task) {
    return update(
        complete,
        task.queue(),
        statement -> {
          statement.setLong(1, task.id());
          statement.setLong(2, task.token());
        });
  }

  @Override
  protected boolean markRetry(ClaimedTask task, String error, Duration delay) {
    return update(
        reschedule,
        task.queue(),
        statement -> {
          statement.setDouble(1, delay.toNanos() / 1e9);
          statement.setLong(2, delay.toMillis());
          statement.setString(3, error);
          statement.setLong(4, task.id());
          statement.setLong(5, task.token());
        });
  }

  @Override
  protected boolean markDead(ClaimedTask task, String error) {
    return update(
        bury,
        task.queue(),
        statement -> {
          statement.setString(1, error);
          statement.setLong(2, task.id());
          statement.setLong(3, task.token());
        });
  }

  private boolean update(String sql, String queue, Sql.Parameters parameters) {
    try {
      return Transaction.ownStatement(
          dataSource, connection -> Sql.update(connection, sql, parameters) == 1);
    } catch (SQLException e) {
      throw failure("update a task of", queue, e);
    }
  }

  private BackendException failure(String what, String queue, SQLException e) {
    return Sql.failure(what + " queue '" + queue + "'", table, e);
  }

  /** Settings of a {@link JdbcTaskQueue}. */
  public static final class Builder extends FencedTaskQueue.Settings<Builder> {
    private final DataSource dataSource;
    private String table = "keelson_tasks";

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * @param table a lower-case SQL identifier (default {@code keelson_tasks})
     * @return this builder
     */
    public Builder table(String table) {
      this.table = Schema.checkTable(table);
      return this;
    }

    public JdbcTaskQueue build() {
      return new JdbcTaskQueue(this);
    }
  }
}
