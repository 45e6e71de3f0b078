package dev.keelson.benchmarks.baseline;

import dev.keelson.testing.Servers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One JDBC connection per benchmark thread to PostgreSQL, provided as for tests ({@code
 * KEELSON_POSTGRES_URL}, Docker, or a local server), with prepared statements ready.
 */
@State(Scope.Thread)
public class PostgresState {

  Connection connection;
  PreparedStatement selectOne;
  PreparedStatement insert;

  @Setup(Level.Trial)
  public void connect() throws SQLException {
    connection = Servers.postgres("keelson_bench").connect();
    try (Statement ddl = connection.createStatement()) {
      ddl.execute(
          "CREATE TABLE IF NOT EXISTS bench_insert"
              + " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payload text NOT NULL)");
    }
    selectOne = connection.prepareStatement("SELECT 1");
    insert = connection.prepareStatement("INSERT INTO bench_insert (payload) VALUES (?)");
    connection.setAutoCommit(false);
  }

  @TearDown(Level.Trial)
  public void close() throws SQLException {
    connection.close();
  }
}
