package dev.keelson.benchmarks.outbox;

import dev.keelson.benchmarks.Baseline;
import dev.keelson.benchmarks.BenchmarkGroup;
import dev.keelson.outbox.Outbox;
import dev.keelson.outbox.OutboxRelay;
import dev.keelson.outbox.PublishResult;
import dev.keelson.outbox.Publisher;
import dev.keelson.testing.OneConnection;
import dev.keelson.testing.Servers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Relay throughput on PostgreSQL, in messages per second: a round of 100 pending messages (each of
 * its own key) claimed, handed to a publisher that does nothing, and recorded (deleted), with a
 * leased claim and with held rows; against a bare batched {@code DELETE ... RETURNING} of 100 rows,
 * the least any relay must do.
 */
@BenchmarkGroup(
    name = "outbox-relay",
    title = "Relay throughput on PostgreSQL with a no-op publisher, 100 messages per round")
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OutboxRelayBenchmark {

  private static final int BATCH = 100;

  /** Fills a table with 100 rows before each round (not measured). */
  private static void fill(Connection connection, String table) throws SQLException {
    try (Statement insert = connection.createStatement()) {
      insert.execute(
          "INSERT INTO "
              + table
              + " (id, topic, msg_key, payload, headers, created_at)"
              + " SELECT gen_random_uuid(), 'orders', 'key-' || g || '-' || gen_random_uuid(),"
              + " '\\x00'::bytea, '', now() FROM generate_series(1, "
              + BATCH
              + ") g");
    }
    connection.commit();
  }

  /** A relay with a publisher that delivers everything at once. */
  @State(Scope.Thread)
  public static class Relay {
    Connection connection;
    OutboxRelay relay;
    OutboxRelay holdingRows;

    @Setup(Level.Trial)
    public void open() throws SQLException {
      DataSource database = new OneConnection(Servers.postgres("keelson_bench").dataSource());
      Outbox outbox = Outbox.builder().table("bench_relay_outbox").build();
      outbox.createSchema(database);
      connection = database.getConnection();
      try (Statement ddl = connection.createStatement()) {
        ddl.execute("TRUNCATE " + outbox.table());
      }
      Publisher noOp =
          batch ->
              CompletableFuture.completedFuture(
                  Collections.nCopies(batch.size(), PublishResult.delivered()));
      relay = OutboxRelay.builder(database, outbox, noOp).batchSize(BATCH).listen(false).build();
      holdingRows =
          OutboxRelay.builder(database, outbox, noOp)
              .batchSize(BATCH)
              .listen(false)
              .holdRowsWhilePublishing()
              .build();
    }

    @Setup(Level.Invocation)
    public void fill() throws SQLException {
      connection.setAutoCommit(false);
      OutboxRelayBenchmark.fill(connection, "bench_relay_outbox");
      connection.setAutoCommit(true);
    }
  }

  /** A bare table of the outbox's shape, drained by one statement. */
  @State(Scope.Thread)
  public static class Bare {
    Connection connection;
    PreparedStatement drain;

    @Setup(Level.Trial)
    public void open() throws SQLException {
      connection = Servers.postgres("keelson_bench").connect();
      Outbox.builder()
          .table("bench_bare_outbox")
          .build()
          .createSchema(Servers.postgres("keelson_bench").dataSource());
      try (Statement ddl = connection.createStatement()) {
        ddl.execute("TRUNCATE bench_bare_outbox");
      }
      connection.setAutoCommit(false);
      drain =
          connection.prepareStatement(
              "DELETE FROM bench_bare_outbox WHERE seq IN (SELECT seq FROM bench_bare_outbox"
                  + " ORDER BY seq LIMIT "
                  + BATCH
                  + " FOR UPDATE SKIP LOCKED) RETURNING id, topic, msg_key, payload, headers");
    }

    @Setup(Level.Invocation)
    public void fill() throws SQLException {
      OutboxRelayBenchmark.fill(connection, "bench_bare_outbox");
    }
  }

  @Benchmark
  @Baseline
  @OperationsPerInvocation(BATCH)
  public int batchedDeleteReturning(Bare bare) throws SQLException {
    int rows = 0;
    try (ResultSet drained = bare.drain.executeQuery()) {
      while (drained.next()) {
        rows += drained.getBytes(4).length;
      }
    }
    bare.connection.commit();
    return rows;
  }

  /** A round whose claim is a lease written to the rows (the default): two transactions. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int relayRound(Relay relay) {
    return relay.relay.runOnce();
  }

  /** A round that locks its rows while it publishes: one transaction, each row written once. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int relayRoundHoldingRows(Relay relay) {
    return relay.holdingRows.runOnce();
  }
}
