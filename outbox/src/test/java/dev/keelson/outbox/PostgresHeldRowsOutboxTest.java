package dev.keelson.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.core.BackendException;
import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.ServerTime;
import java.time.Duration;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The PostgreSQL kit again, every relay holding its rows while it publishes. */
class PostgresHeldRowsOutboxTest extends PostgresOutboxTest {

  PostgresHeldRowsOutboxTest(PostgresDatabase database) {
    super(database);
  }

  @Override
  protected boolean holdsRows() {
    return true;
  }

  @Test
  void aRelayStalledPastItsClaimTimeLetsGoOfItsRowsAndRecordsNothing() {
    commit(message("k", "stalled over"));
    Duration claimTime = Duration.ofMillis(500);
    Publisher stallsTheRelay =
        batch -> {
          // Blocks the relay's own thread (a GC pause, a stuck call) inside its transaction.
          ServerTime.letPass(claimTime.multipliedBy(3));
          return CompletableFuture.completedFuture(
              Collections.nCopies(batch.size(), PublishResult.delivered()));
        };
    OutboxRelay stalled = relay(dataSource(), stallsTheRelay).claimTime(claimTime).build();

    assertThatThrownBy(stalled::runOnce)
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("idle-in-transaction timeout");

    assertThat(relay().build().runOnce())
        .as("PostgreSQL ended the stalled session at its claim time: the row is free")
        .isEqualTo(1);
    assertThat(payloads(publisher.delivered())).containsExactly("stalled over");
  }
}
