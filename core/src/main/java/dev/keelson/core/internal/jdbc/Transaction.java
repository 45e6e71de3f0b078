package dev.keelson.core.internal.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.concurrent.Executor;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * How a JDBC backend's operation meets transactions, in one place, so that each operation is
 * correct whatever auto-commit mode a pool hands out (Hikari with {@code autoCommit=false} is a
 * common Spring setting: there a statement that is not committed is rolled back on {@code
 * close()}). Every operation is one of two kinds:
 *
 * <ul>
 *   <li><b>its own transaction</b> ({@link #own}, {@link #ownStatement}, {@link #run}): committed
 *       before the call returns, rolled back if it throws;
 *   <li><b>the caller's transaction</b> ({@link #joinOrOwn}): on a connection in a transaction the
 *       work joins it and the caller commits; on an auto-commit connection, where there is no
 *       transaction to join, the work gets one of its own, so its statements still commit or fail
 *       together.
 * </ul>
 *
 * A failed rollback is added to the failure, never hides it; a borrowed connection goes back with
 * the auto-commit mode it came with, as a pool expects.
 */
public final class Transaction {

  /** The driver needs an executor to abort a timed-out connection with; the caller's thread is. */
  private static final Executor CALLING_THREAD = Runnable::run;

  private Transaction() {}

  /**
   * The work of one transaction.
   *
   * @param <T> its result
   */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs work in a transaction of its own, on a connection borrowed from the data source.
   *
   * @param dataSource where to borrow the connection
   * @param work what to do
   * @param <T> the work's result
   * @return the work's result, committed
   * @throws SQLException if the work or the commit fails (rolled back)
   */
  public static <T> T own(DataSource dataSource, Work<T> work) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      return run(connection, work);
    }
  }

  /**
   * Runs work of one statement in a transaction of its own: as {@link #own}, but on an auto-commit
   * connection the statement commits by itself, which saves the round trip of a {@code COMMIT}.
   *
   * @param dataSource where to borrow the connection
   * @param work one statement
   * @param <T> the work's result
   * @return the work's result, committed
   * @throws SQLException if the statement or the commit fails (rolled back)
   */
  public static <T> T ownStatement(DataSource dataSource, Work<T> work) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      if (connection.getAutoCommit()) {
        return work.run(connection);
      }
      return commitOrRollBack(connection, work);
    }
  }

  /**
   * As {@link #ownStatement(DataSource, Work)}, bounded in time: the statement and its commit fail
   * with an {@link SQLException} when the server sends nothing for {@code timeout} (a partition, a
   * lock wait), through the driver's network timeout ({@link Connection#setNetworkTimeout}; the
   * driver closes a connection that timed out). Waiting for a connection from the pool is the
   * pool's to bound (Hikari's {@code connectionTimeout}). On a driver without network timeouts (H2,
   * whose {@code setNetworkTimeout} does nothing; there its lock waits end after its {@code
   * LOCK_TIMEOUT}, 10 s by default) the work runs unbounded.
   *
   * @param dataSource where to borrow the connection
   * @param timeout the longest silence from the server
   * @param work one statement
   * @param <T> the work's result
   * @return the work's result, committed
   * @throws SQLException if the statement or the commit fails or times out (rolled back)
   */
  public static <T> T ownStatement(DataSource dataSource, Duration timeout, Work<T> work)
      throws SQLException {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    try (Connection connection = dataSource.getConnection()) {
      @Nullable Integer before = networkTimeout(connection, millis);
      try {
        return connection.getAutoCommit()
            ? work.run(connection)
            : commitOrRollBack(connection, work);
      } finally {
        if (before != null) {
          restore(connection, before);
        }
      }
    }
  }

  /** Gives a pooled connection its timeout back; a connection that timed out is the pool's. */
  private static void restore(Connection connection, int millis) {
    try {
      if (!connection.isClosed()) {
        connection.setNetworkTimeout(CALLING_THREAD, millis);
      }
    } catch (SQLException brokenConnection) {
      // The driver aborted it; the pool discards it. The work's own outcome stands.
    }
  }

  /** Sets the network timeout; the one it replaces, or null if the driver has none. */
  private static @Nullable Integer networkTimeout(Connection connection, int millis)
      throws SQLException {
    try {
      int before = connection.getNetworkTimeout();
      connection.setNetworkTimeout(CALLING_THREAD, millis);
      return before;
    } catch (SQLFeatureNotSupportedException e) {
      return null;
    }
  }

  /**
   * Runs work in the caller's transaction, or in one of its own when the connection auto-commits.
   *
   * @param connection the caller's connection
   * @param work what to do
   * @param <T> the work's result
   * @return the work's result: to be committed by the caller if the connection is in a transaction,
   *     committed already if it auto-commits
   * @throws SQLException if the work fails (on an auto-commit connection: rolled back)
   */
  public static <T> T joinOrOwn(Connection connection, Work<T> work) throws SQLException {
    return connection.getAutoCommit() ? run(connection, work) : work.run(connection);
  }

  /**
   * Runs work in a transaction of its own on a connection the caller holds: commits if the work
   * returns, rolls back if it throws.
   *
   * @param connection a connection the caller owns and will close, not in a transaction
   * @param work what to do in the transaction
   * @param <T> the work's result
   * @return the work's result, committed
   * @throws SQLException if the work or the commit fails (rolled back)
   */
  public static <T> T run(Connection connection, Work<T> work) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    if (autoCommit) {
      connection.setAutoCommit(false);
    }
    try {
      return commitOrRollBack(connection, work);
    } finally {
      if (autoCommit) {
        try {
          connection.setAutoCommit(true);
        } catch (SQLException brokenConnection) {
          // The pool discards a broken connection; the work's own outcome stands.
        }
      }
    }
  }

  private static <T> T commitOrRollBack(Connection connection, Work<T> work) throws SQLException {
    try {
      T result = work.run(connection);
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException | Error e) {
      try {
        connection.rollback();
      } catch (SQLException rollbackFailed) {
        e.addSuppressed(rollbackFailed);
      }
      throw e;
    }
  }
}
