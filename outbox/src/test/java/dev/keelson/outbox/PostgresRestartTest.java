package dev.keelson.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.ServerTime;
import dev.keelson.testing.WithPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A running relay survives its PostgreSQL being restarted: it resumes and loses nothing. */
@WithPostgres(dedicated = true)
class PostgresRestartTest {

  private final InMemoryPublisher publisher = InMemoryPublisher.withDefaults();
  private final Outbox outbox = Outbox.withDefaults();

  @Test
  void aRelayResumesAfterARestartAndLosesNothing(PostgresDatabase database) throws SQLException {
    outbox.createSchema(database.dataSource());
    OutboxRelay relay =
        OutboxRelay.builder(database.dataSource(), outbox, publisher)
            .pollInterval(Duration.ofMillis(100))
            .build();
    relay.start();
    try {
      append(database, "before");
      await(1);
      // Delivered is not yet recorded: a restart in between would leave "before" claimed until its
      // claim ran out, and the later messages of its key behind it.
      awaitRecorded(relay);

      database.control().restart();
      append(database, "after 1");
      append(database, "after 2");

      await(3);
    } finally {
      relay.close();
    }
    assertThat(
            publisher.delivered().stream()
                .map(m -> new String(m.payload(), StandardCharsets.UTF_8))
                .toList())
        .containsExactly("before", "after 1", "after 2");
  }

  private void append(PostgresDatabase database, String text) throws SQLException {
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      outbox.appendAll(
          connection, List.of(OutboxMessage.of("t", "k", text.getBytes(StandardCharsets.UTF_8))));
      connection.commit();
    }
  }

  private static void awaitRecorded(OutboxRelay relay) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (relay.backlog().pending() > 0) {
      assertThat(System.nanoTime()).as("recorded within 30 s").isLessThan(deadline);
      ServerTime.letPass(Duration.ofMillis(50));
    }
  }

  private void await(int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (publisher.delivered().size() < count) {
      assertThat(System.nanoTime()).as("delivered within 30 s").isLessThan(deadline);
      ServerTime.letPass(Duration.ofMillis(50));
    }
  }
}
