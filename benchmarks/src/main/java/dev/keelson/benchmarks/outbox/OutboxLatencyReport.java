package dev.keelson.benchmarks.outbox;

import dev.keelson.outbox.Outbox;
import dev.keelson.outbox.OutboxMessage;
import dev.keelson.outbox.OutboxRelay;
import dev.keelson.outbox.PublishResult;
import dev.keelson.outbox.Publisher;
import dev.keelson.testing.OneConnection;
import dev.keelson.testing.Servers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commit-to-publish latency of the outbox relay on PostgreSQL: the time from a business
 * transaction's commit returning to the publisher receiving its message, with the relay woken by
 * {@code LISTEN/NOTIFY} and with polling alone (the relay holds one open connection, as from a
 * pool, on which it also listens). JMH measures an operation's own time; this is the time between
 * two threads, so it is measured here, in one JVM on one monotonic clock. Writes {@code
 * LATENCY.md}: {@code java -cp benchmarks.jar dev.keelson.benchmarks.outbox.OutboxLatencyReport
 * OUT_DIR [samples]}.
 */
public final class OutboxLatencyReport {

  private static final Logger log = LoggerFactory.getLogger(OutboxLatencyReport.class);

  private OutboxLatencyReport() {}

  public static void main(String[] args) throws IOException, SQLException {
    Path out = Path.of(args.length > 0 ? args[0] : "benchmarks");
    int samples = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    DataSource database = Servers.postgres("keelson_bench").dataSource();
    StringBuilder md = new StringBuilder();
    md.append("# Outbox: commit-to-publish latency\n\n")
        .append("Written by `benchmarks/run.sh` (`OutboxLatencyReport`): from a transaction's")
        .append(" commit returning to the publisher receiving its message, one message at a time")
        .append(" with a random 0-20 ms pause between them, one relay, PostgreSQL on this")
        .append(" machine. JDK ")
        .append(System.getProperty("java.version"))
        .append(".\n\n| relay wakes by | samples | p50 | p99 | max |\n|---|---:|---:|---:|---:|\n");
    row(
        md,
        "`LISTEN/NOTIFY` (polling every 1 s as the fallback)",
        measure(database, true, Duration.ofSeconds(1), samples));
    row(md, "polling every 100 ms", measure(database, false, Duration.ofMillis(100), samples / 2));
    Files.createDirectories(out);
    Files.writeString(out.resolve("LATENCY.md"), md.toString());
    log.info("outbox latency: report {}", out.resolve("LATENCY.md"));
  }

  private static long[] measure(DataSource database, boolean listen, Duration poll, int samples)
      throws SQLException {
    Outbox outbox = Outbox.builder().table("bench_latency_" + (listen ? "listen" : "poll")).build();
    outbox.createSchema(database);
    Map<UUID, Long> received = new ConcurrentHashMap<>();
    Publisher recording =
        batch -> {
          long now = System.nanoTime();
          batch.forEach(message -> received.put(message.id(), now));
          return CompletableFuture.completedFuture(
              batch.stream().map(m -> PublishResult.delivered()).toList());
        };
    List<Long> latencies = new ArrayList<>();
    // The relay keeps its connection open, as a pool would; the writer has its own.
    try (OutboxRelay relay =
            OutboxRelay.builder(new OneConnection(database), outbox, recording)
                .listen(listen)
                .pollInterval(poll)
                .build();
        Connection connection = database.getConnection()) {
      relay.start();
      connection.setAutoCommit(false);
      for (int i = 0; i < samples; i++) {
        OutboxMessage message = OutboxMessage.of("latency", "key-" + i, new byte[16]);
        outbox.append(connection, message);
        connection.commit();
        long committed = System.nanoTime();
        long deadline = committed + Duration.ofSeconds(10).toNanos();
        while (!received.containsKey(message.id()) && System.nanoTime() < deadline) {
          LockSupport.parkNanos(20_000);
        }
        Long at = received.get(message.id());
        if (at == null) {
          throw new IllegalStateException("message " + i + " was not published within 10 s");
        }
        latencies.add(at - committed);
        LockSupport.parkNanos(Duration.ofMillis(ThreadLocalRandom.current().nextInt(21)).toNanos());
      }
    }
    return latencies.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  private static void row(StringBuilder md, String how, long[] sorted) {
    md.append("| ")
        .append(how)
        .append(" | ")
        .append(sorted.length)
        .append(" | ")
        .append(millis(percentile(sorted, 0.50)))
        .append(" | ")
        .append(millis(percentile(sorted, 0.99)))
        .append(" | ")
        .append(millis(sorted[sorted.length - 1]))
        .append(" |\n");
    log.info(
        "{}: p50 {} p99 {}",
        how,
        millis(percentile(sorted, 0.5)),
        millis(percentile(sorted, 0.99)));
  }

  private static long percentile(long[] sorted, double p) {
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  private static String millis(long nanos) {
    return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
  }
}
