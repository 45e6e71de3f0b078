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
  void aHeldRoundClearsALeaseThatRanOutSoItsLateHolderChangesNothing() throws Exception {
    commit(message("k", "shared"));
    Duration claimTime = Duration.ofMillis(300);
    // A leased relay whose publish stalls past its lease, then answers that the message is dead.
    Publisher stallsThenRejects =
        batch -> {
          ServerTime.letPass(claimTime.multipliedBy(2));
          return CompletableFuture.completedFuture(
              Collections.nCopies(batch.size(), PublishResult.reject("HTTP 400")));
        };
    OutboxRelay leased =
        OutboxRelay.builder(dataSource(), outbox(), stallsThenRejects)
            .claimTime(claimTime)
            .retention(Duration.ofHours(1))
            .build();
    Thread late = new Thread(leased::runOnce);
    late.start();
    ServerTime.letPass(claimTime.plusMillis(100)); // its lease has run out

    OutboxRelay held = relay().claimTime(claimTime).retention(Duration.ofHours(1)).build();
    assertThat(held.runOnce()).as("the held relay takes the row over").isEqualTo(1);
    late.join(10_000);

    assertThat(stateOf("shared"))
        .as("the late holder's dead letter found the row no longer its own")
        .isEqualTo("published");
    assertThat(payloads(publisher.delivered())).containsExactly("shared");
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
