package dev.keelson.testing;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The auto-commit mode a data source hands connections out in, for running a JDBC contract kit in
 * both: {@link #ON} as JDBC's default, {@link #OFF} as a pool configured like Hikari with {@code
 * autoCommit=false} (a common Spring setting), where work that is not committed is lost when the
 * connection is closed.
 *
 * <pre>{@code
 * DataSource pool = AutoCommit.OFF.applyTo(database.dataSource());
 * }</pre>
 */
public enum AutoCommit {
  /** Connections commit each statement by themselves, as JDBC opens them. */
  ON,
  /**
   * Connections come in a transaction; closing one without a commit rolls its work back (the
   * physical connection closes, and the server aborts what was not committed).
   */
  OFF;

  /**
   * @param dataSource opens connections in JDBC's default mode (auto-commit on)
   * @return a data source whose connections come in this mode
   */
  public DataSource applyTo(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    return this == ON ? dataSource : new ManualCommit(dataSource);
  }

  /** Hands out connections with auto-commit off. */
  private static final class ManualCommit implements DataSource {
    private final DataSource delegate;

    ManualCommit(DataSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return manual(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
      return manual(delegate.getConnection(user, password));
    }

    private static Connection manual(Connection connection) throws SQLException {
      try {
        connection.setAutoCommit(false);
        return connection;
      } catch (SQLException e) {
        connection.close();
        throw e;
      }
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
      delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return delegate.getLoginTimeout();
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
      return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
      return type.isInstance(this) ? type.cast(this) : delegate.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
      return type.isInstance(this) || delegate.isWrapperFor(type);
    }

    @Override
    public String toString() {
      return "auto-commit off: " + delegate;
    }
  }
}
