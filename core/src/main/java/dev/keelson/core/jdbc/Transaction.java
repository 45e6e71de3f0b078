package dev.keelson.core.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Runs work in one transaction on a connection the backend borrowed: commits if the work returns,
 * rolls back if it throws (a failed rollback is added to the failure, never hides it), and hands
 * the connection back with the auto-commit mode it came with, as a pool expects.
 */
public final class Transaction {

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
   * @param connection a connection the caller owns and will close
   * @param work what to do in the transaction
   * @param <T> the work's result
   * @return the work's result, committed
   * @throws SQLException if the work or the commit fails (rolled back)
   */
  public static <T> T run(Connection connection, Work<T> work) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      T result = work.run(connection);
      connection.commit();
      return result;
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException rollbackFailed) {
        e.addSuppressed(rollbackFailed);
      }
      throw e;
    } finally {
      try {
        connection.setAutoCommit(autoCommit);
      } catch (SQLException brokenConnection) {
        // The pool discards a broken connection; the work's own outcome stands.
      }
    }
  }
}
