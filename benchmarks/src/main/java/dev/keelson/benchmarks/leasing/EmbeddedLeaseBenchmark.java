package dev.keelson.benchmarks.leasing;

import dev.keelson.benchmarks.Baseline;
import dev.keelson.benchmarks.BenchmarkGroup;
import dev.keelson.leasing.InMemoryLeaseStore;
import dev.keelson.leasing.Lease;
import dev.keelson.leasing.Leaser;
import dev.keelson.leasing.jdbc.JdbcLeaseStore;
import dev.keelson.testing.OneConnection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * A lease's operations without a server: in memory, and on H2 (the JDBC backends' embedded default)
 * compared to a bare {@code SELECT 1} on the same H2 connection.
 */
@BenchmarkGroup(
    name = "leasing-embedded",
    title = "Lease acquire + release and renew, in memory and on embedded H2")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EmbeddedLeaseBenchmark {

  /**
   * One H2 connection, as a pool would give, and leasers on memory and on H2; the forked JVM's exit
   * closes them.
   */
  @State(Scope.Thread)
  public static class Embedded {
    Connection connection;
    PreparedStatement selectOne;
    Leaser memory;
    Leaser h2;
    Lease memoryHeld;
    Lease h2Held;

    @Setup(Level.Trial)
    public void open() throws SQLException {
      JdbcDataSource database = new JdbcDataSource();
      database.setURL("jdbc:h2:mem:keelson-bench;DB_CLOSE_DELAY=-1");
      DataSource shared = new OneConnection(database);
      connection = shared.getConnection();
      selectOne = connection.prepareStatement("SELECT 1");
      JdbcLeaseStore store = JdbcLeaseStore.on(shared);
      store.createSchema();
      h2 = Leaser.builder(store).build();
      memory = Leaser.builder(InMemoryLeaseStore.withDefaults()).build();
      memoryHeld = memory.tryAcquire("held", LeasingState.TTL).orElseThrow();
      h2Held = h2.tryAcquire("held", LeasingState.TTL).orElseThrow();
    }
  }

  @Benchmark
  @Baseline
  public int h2SelectOne(Embedded state) throws SQLException {
    try (ResultSet row = state.selectOne.executeQuery()) {
      row.next();
      return row.getInt(1);
    }
  }

  @Benchmark
  public boolean h2AcquireRelease(Embedded state) {
    Lease lease = state.h2.tryAcquire("job", LeasingState.TTL).orElseThrow();
    return state.h2.release(lease);
  }

  @Benchmark
  public Lease h2Renew(Embedded state) {
    state.h2Held = state.h2.renew(state.h2Held).orElseThrow();
    return state.h2Held;
  }

  @Benchmark
  public boolean memoryAcquireRelease(Embedded state) {
    Lease lease = state.memory.tryAcquire("job", LeasingState.TTL).orElseThrow();
    return state.memory.release(lease);
  }

  @Benchmark
  public Lease memoryRenew(Embedded state) {
    state.memoryHeld = state.memory.renew(state.memoryHeld).orElseThrow();
    return state.memoryHeld;
  }
}
