package dev.keelson.benchmarks.baseline;

import dev.keelson.benchmarks.Baseline;
import dev.keelson.benchmarks.BenchmarkGroup;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * The two database costs every JDBC-backed feature builds on: a round trip ({@code SELECT 1}) and a
 * durable write (a single-row {@code INSERT} and its {@code COMMIT}).
 */
@BenchmarkGroup(
    name = "postgres",
    title = "PostgreSQL over JDBC: a SELECT 1 round trip and a single-row INSERT + COMMIT",
    baseline = "PostgresBenchmark.selectOne")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PostgresBenchmark {

  @Benchmark
  @Baseline
  public int selectOne(PostgresState postgres) throws SQLException {
    try (ResultSet rows = postgres.selectOne.executeQuery()) {
      rows.next();
      int one = rows.getInt(1);
      postgres.connection.commit();
      return one;
    }
  }

  @Benchmark
  @Baseline
  public int insertCommit(PostgresState postgres) throws SQLException {
    postgres.insert.setString(1, "payload");
    int inserted = postgres.insert.executeUpdate();
    postgres.connection.commit();
    return inserted;
  }
}
