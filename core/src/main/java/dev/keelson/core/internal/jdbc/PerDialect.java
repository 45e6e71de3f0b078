package dev.keelson.core.internal.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Something a JDBC backend builds once for its database's dialect, such as its SQL statements,
 * found from the first connection it uses: users never name the dialect. Thread-safe; two first
 * callers may both build it, and build the same.
 *
 * <pre>{@code
 * private final PerDialect<Statements> statements = PerDialect.of(d -> new Statements(d, table));
 * ... connection.prepareStatement(statements.of(connection).acquire) ...
 * }</pre>
 *
 * @param <T> what is built
 */
public final class PerDialect<T> {

  private final Function<SqlDialect, T> build;
  private volatile @Nullable T built;

  private PerDialect(Function<SqlDialect, T> build) {
    this.build = build;
  }

  /**
   * @param build builds the thing for a dialect
   * @param <T> what is built
   * @return the memo, empty until first used
   */
  public static <T> PerDialect<T> of(Function<SqlDialect, T> build) {
    return new PerDialect<>(Objects.requireNonNull(build, "build"));
  }

  /**
   * @param connection a connection to the backend's database
   * @return the thing for that database's dialect, built on the first call
   * @throws SQLException if the connection's metadata cannot be read
   */
  public T of(Connection connection) throws SQLException {
    T known = built;
    if (known == null) {
      known = build.apply(SqlDialect.of(connection));
      built = known;
    }
    return known;
  }
}
