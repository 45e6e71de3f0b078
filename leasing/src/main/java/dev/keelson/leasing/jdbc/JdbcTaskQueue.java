package dev.keelson.leasing.jdbc;

import dev.keelson.leasing.ClaimedTask;
import dev.keelson.leasing.TaskQueue;
import dev.keelson.retry.Backoff;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * A work queue in a PostgreSQL table, with fenced claims. Workers claim up to N due tasks with
 * {@code FOR UPDATE SKIP LOCKED} (so they never wait on each other); each claim is a lease: it runs
 * out after the claim time and bumps the task's fencing token. Complete or fail with the claimed
 * task: a stale claim (the task was reclaimed since) is refused and changes nothing. A failed task
 * is rescheduled after a backoff (the retry module's {@link Backoff}); after {@code maxAttempts}
 * claims it goes to the dead state with its last error. Times are the database's.
 */
public final class JdbcTaskQueue implements TaskQueue {

  private final DataSource dataSource;
  private final String table;
  private final int maxAttempts;
  private final Backoff backoff;
  private final String enqueue;
  private final String buryExhausted;
  private final String claim;
  private final String complete;
  private final String reschedule;
  private final String bury;

  private JdbcTaskQueue(Builder builder) {
    this.dataSource = builder.dataSource;
    this.table = builder.table;
    this.maxAttempts = builder.maxAttempts;
    this.backoff = builder.backoff;
    String t = table;
    this.enqueue = "INSERT INTO " + t + " (queue, payload) VALUES (?, ?) RETURNING id";
    this.buryExhausted =
        "UPDATE "
            + t
            + " SET state = 'dead', last_error = coalesce(last_error, 'claim ran out ' || attempts || ' times')"
            + " WHERE queue = ? AND state = 'pending' AND due_at <= now() AND attempts >= ?";
    this.claim =
        "UPDATE "
            + t
            + " SET token = token + 1, attempts = attempts + 1, owner = ?,"
            + " due_at = now() + make_interval(secs => ?)"
            + " WHERE id IN (SELECT id FROM "
            + t
            + " WHERE queue = ? AND state = 'pending' AND due_at <= now()"
            + " ORDER BY due_at LIMIT ? FOR UPDATE SKIP LOCKED)"
            + " RETURNING id, payload, token, attempts";
    this.complete =
        "UPDATE "
            + t
            + " SET state = 'done', due_at = now() WHERE id = ? AND token = ? AND state = 'pending'";
    this.reschedule =
        "UPDATE "
            + t
            + " SET due_at = now() + make_interval(secs => ?), last_error = ?"
            + " WHERE id = ? AND token = ? AND state = 'pending'";
    this.bury =
        "UPDATE "
            + t
            + " SET state = 'dead', last_error = ? WHERE id = ? AND token = ? AND state = 'pending'";
  }

  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /** Creates the table and its partial index on pending tasks, if they do not exist. */
  public void createSchema() {
    Sql.applyDdl(dataSource, "tasks-postgresql.sql", table);
  }

  /**
   * Adds a task, due now, in the caller's transaction (so it appears only if that commits).
   *
   * @param connection the caller's connection
   * @param queue the queue
   * @param payload what to do
   * @return the task's id
   * @throws SQLException if the database fails
   */
  public long enqueue(Connection connection, String queue, byte[] payload) throws SQLException {
    TaskQueue.checkQueue(queue);
    Objects.requireNonNull(payload, "payload");
    try (PreparedStatement statement = connection.prepareStatement(enqueue)) {
      statement.setString(1, queue);
      statement.setBytes(2, payload);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
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
    try (Connection connection = dataSource.getConnection()) {
      return enqueue(connection, queue, payload);
    } catch (SQLException e) {
      throw failure("enqueue a task on", queue, e);
    }
  }

  /**
   * Claims up to {@code max} due tasks, oldest due first, skipping tasks other workers are claiming
   * at the same moment. Tasks whose claims ran out {@code maxAttempts} times go to the dead state
   * instead.
   *
   * @param queue the queue
   * @param owner the worker
   * @param max at most this many, 1 to 1000
   * @param claimTime how long the claims last, at least 10 ms
   * @return the claimed tasks, maybe none
   */
  @Override
  public List<ClaimedTask> claim(String queue, String owner, int max, Duration claimTime) {
    TaskQueue.checkClaim(queue, owner, max, claimTime);
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement exhausted = connection.prepareStatement(buryExhausted);
          PreparedStatement claiming = connection.prepareStatement(claim)) {
        exhausted.setString(1, queue);
        exhausted.setInt(2, maxAttempts);
        exhausted.executeUpdate();
        claiming.setString(1, owner);
        claiming.setDouble(2, claimTime.toNanos() / 1e9);
        claiming.setString(3, queue);
        claiming.setInt(4, max);
        List<ClaimedTask> claimed = new ArrayList<>();
        try (ResultSet rows = claiming.executeQuery()) {
          while (rows.next()) {
            claimed.add(
                new ClaimedTask(
                    rows.getLong(1), queue, rows.getBytes(2), rows.getLong(3), rows.getInt(4)));
          }
        }
        connection.commit();
        return claimed;
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw failure("claim tasks from", queue, e);
    }
  }

  /**
   * Marks a claimed task done.
   *
   * @param task the claim
   * @return true if done; false if the claim is stale (the task was reclaimed): nothing changed
   */
  @Override
  public boolean complete(ClaimedTask task) {
    return update(
        complete,
        task.queue(),
        statement -> {
          statement.setLong(1, task.id());
          statement.setLong(2, task.token());
        });
  }

  /**
   * Records a failed attempt: the task is due again after a backoff, or, after {@code maxAttempts},
   * dead with this error.
   *
   * @param task the claim
   * @param error what went wrong (kept as the task's last error)
   * @return true if recorded; false if the claim is stale: nothing changed
   */
  @Override
  public boolean fail(ClaimedTask task, String error) {
    Objects.requireNonNull(error, "error");
    if (task.attempt() >= maxAttempts) {
      return update(
          bury,
          task.queue(),
          statement -> {
            statement.setString(1, error);
            statement.setLong(2, task.id());
            statement.setLong(3, task.token());
          });
    }
    long delay = backoff.delayNanos(task.attempt(), 0, ThreadLocalRandom.current());
    return update(
        reschedule,
        task.queue(),
        statement -> {
          statement.setDouble(1, delay / 1e9);
          statement.setString(2, error);
          statement.setLong(3, task.id());
          statement.setLong(4, task.token());
        });
  }

  /** Binds a statement's parameters. */
  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  private boolean update(String sql, String queue, Binder binder) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      binder.bind(statement);
      return statement.executeUpdate() == 1;
    } catch (SQLException e) {
      throw failure("update a task of", queue, e);
    }
  }

  private IllegalStateException failure(String what, String queue, SQLException e) {
    return new IllegalStateException(
        "cannot " + what + " queue '" + queue + "' in " + table + ": " + e.getMessage(), e);
  }

  /** Settings of a {@link JdbcTaskQueue}. */
  public static final class Builder {
    private final DataSource dataSource;
    private String table = "keelson_tasks";
    private int maxAttempts = 5;
    private Backoff backoff = Backoff.fullJitter(Duration.ofSeconds(1), Duration.ofMinutes(10));

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * @param table a lower-case SQL identifier (default {@code keelson_tasks})
     * @return this builder
     */
    public Builder table(String table) {
      this.table = Sql.checkTable(table);
      return this;
    }

    /**
     * @param maxAttempts claims a task gets before it is dead, 1 to 100 (default 5)
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1 || maxAttempts > 100) {
        throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " is not in 1..100");
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * @param backoff the wait before a failed task is due again (default full jitter, 1 s base, 10
     *     min cap)
     * @return this builder
     */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    public JdbcTaskQueue build() {
      return new JdbcTaskQueue(this);
    }
  }
}
