package dev.keelson.testing;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import javax.sql.DataSource;

/**
 * A data source that hands out one open connection again and again (closing it does nothing), as a
 * warmed-up connection pool would: a benchmark measures the statements, not connection set-up, and
 * a fault test can cut an open connection (through a {@link FaultProxy}) as a partition cuts a
 * pool's. For one thread at a time.
 */
public final class OneConnection implements DataSource {

  private final Connection shared;

  public OneConnection(DataSource source) {
    try {
      Connection real = source.getConnection();
      this.shared =
          (Connection)
              Proxy.newProxyInstance(
                  Connection.class.getClassLoader(),
                  new Class<?>[] {Connection.class},
                  (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                      return null;
                    }
                    try {
                      return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                      throw e.getCause();
                    }
                  });
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open the benchmark's connection", e);
    }
  }

  @Override
  public Connection getConnection() {
    return shared;
  }

  @Override
  public Connection getConnection(String username, String password) {
    return shared;
  }

  @Override
  public PrintWriter getLogWriter() {
    return new PrintWriter(java.io.Writer.nullWriter());
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // nothing to log
  }

  @Override
  public void setLoginTimeout(int seconds) {
    // the connection is open already
  }

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no java.util.logging here");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    throw new SQLException("not a wrapper");
  }

  @Override
  public boolean isWrapperFor(Class<?> type) {
    return false;
  }
}
