package dev.keelson.benchmarks.outbox;

import dev.keelson.benchmarks.Baseline;
import dev.keelson.benchmarks.BenchmarkGroup;
import dev.keelson.outbox.Outbox;
import dev.keelson.outbox.OutboxMessage;
import dev.keelson.testing.Servers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What an outbox append adds to a business transaction on PostgreSQL: the same transaction (one row
 * inserted, then commit) without and with an outbox message of 200 bytes.
 */
@BenchmarkGroup(
    name = "outbox-append",
    title = "A business transaction on PostgreSQL, without and with an outbox append")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OutboxAppendBenchmark {

  private static final byte[] PAYLOAD = new byte[200];

  /** One connection, the business table and the outbox. */
  @State(Scope.Thread)
  public static class Business {
    Connection connection;
    PreparedStatement insertOrder;
    final Outbox outbox = Outbox.builder().table("bench_append_outbox").build();
    long orders;

    @Setup(Level.Trial)
    public void open() throws SQLException {
      connection = Servers.postgres("keelson_bench").connect();
      try (Statement ddl = connection.createStatement()) {
        ddl.execute(
            "CREATE TABLE IF NOT EXISTS bench_orders"
                + " (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL)");
        ddl.execute("TRUNCATE bench_orders");
      }
      outbox.createSchema(Servers.postgres("keelson_bench").dataSource());
      try (Statement ddl = connection.createStatement()) {
        ddl.execute("TRUNCATE " + outbox.table());
      }
      insertOrder = connection.prepareStatement("INSERT INTO bench_orders (body) VALUES (?)");
      connection.setAutoCommit(false);
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
      connection.close();
    }
  }

  @Benchmark
  @Baseline
  public void businessTransaction(Business business) throws SQLException {
    business.insertOrder.setString(1, "order " + business.orders++);
    business.insertOrder.executeUpdate();
    business.connection.commit();
  }

  @Benchmark
  public void businessTransactionWithOutbox(Business business) throws SQLException {
    String order = "order " + business.orders++;
    business.insertOrder.setString(1, order);
    business.insertOrder.executeUpdate();
    business.outbox.append(
        business.connection,
        OutboxMessage.of("orders", order, PAYLOAD).withHeader("type", "created"));
    business.connection.commit();
  }
}
