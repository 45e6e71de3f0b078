package dev.keelson.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link OutboxListener#of}: one listener that tells several, each guarded. */
class OutboxListenerTest {

  private final List<String> told = new ArrayList<>();
  private final OutboxMessage message = OutboxMessage.of("payments", "order-7", new byte[0]);

  /** Records each event it hears, prefixed with its own label. */
  private OutboxListener recording(String label) {
    return new OutboxListener() {
      @Override
      public void onPublished(
          String relay, OutboxMessage message, int attempts, Duration sinceCreated) {
        told.add(label + " published " + relay + " " + attempts);
      }

      @Override
      public void onRetryScheduled(
          String relay, OutboxMessage message, int attempts, String error, Duration delay) {
        told.add(label + " retry " + relay + " " + error);
      }

      @Override
      public void onDead(String relay, OutboxMessage message, int attempts, String error) {
        told.add(label + " dead " + relay + " " + error);
      }

      @Override
      public void onBatch(String relay, int size, Duration took) {
        told.add(label + " batch " + relay + " " + size);
      }

      @Override
      public void onRelayError(String relay, Exception error) {
        told.add(label + " error " + relay + " " + error.getMessage());
      }

      @Override
      public void onAppended(String outbox, int messages) {
        told.add(label + " appended " + outbox + " " + messages);
      }

      @Override
      public void onBacklog(String relay, Backlog backlog) {
        told.add(label + " backlog " + relay + " " + backlog.pending());
      }
    };
  }

  @Test
  void noListenerIsNoneAndOneIsItself() {
    OutboxListener one = recording("a");

    assertThat(OutboxListener.of()).isSameAs(OutboxListener.NONE);
    assertThat(OutboxListener.of(OutboxListener.NONE, OutboxListener.NONE))
        .isSameAs(OutboxListener.NONE);
    assertThat(OutboxListener.of(one)).isSameAs(one);
    assertThat(OutboxListener.of(OutboxListener.NONE, one)).isSameAs(one);
  }

  @Test
  void eachEventReachesEveryListenerInOrder() {
    OutboxListener both = OutboxListener.of(recording("a"), recording("b"));

    both.onPublished("r", message, 1, Duration.ZERO);
    both.onRetryScheduled("r", message, 2, "HTTP 503", Duration.ofSeconds(1));
    both.onDead("r", message, 3, "HTTP 400");
    both.onBatch("r", 4, Duration.ZERO);
    both.onRelayError("r", new IllegalStateException("down"));
    both.onAppended("o", 5);
    both.onBacklog("r", new Backlog(6, Duration.ZERO, 0));

    assertThat(told)
        .containsExactly(
            "a published r 1",
            "b published r 1",
            "a retry r HTTP 503",
            "b retry r HTTP 503",
            "a dead r HTTP 400",
            "b dead r HTTP 400",
            "a batch r 4",
            "b batch r 4",
            "a error r down",
            "b error r down",
            "a appended o 5",
            "b appended o 5",
            "a backlog r 6",
            "b backlog r 6");
  }

  @Test
  void oneThatThrowsDoesNotStopTheNext() {
    OutboxListener all =
        OutboxListener.of(OutboxContract.THROWING, recording("a"), OutboxContract.THROWING);

    all.onPublished("r", message, 1, Duration.ZERO);
    all.onRetryScheduled("r", message, 2, "HTTP 503", Duration.ofSeconds(1));
    all.onDead("r", message, 3, "HTTP 400");
    all.onBatch("r", 4, Duration.ZERO);
    all.onRelayError("r", new IllegalStateException("down"));
    all.onAppended("o", 5);
    all.onBacklog("r", new Backlog(6, Duration.ZERO, 0));

    assertThat(told)
        .containsExactly(
            "a published r 1",
            "a retry r HTTP 503",
            "a dead r HTTP 400",
            "a batch r 4",
            "a error r down",
            "a appended o 5",
            "a backlog r 6");
  }

  @Test
  void nullListenersAreRefusedByPosition() {
    assertThatThrownBy(() -> OutboxListener.of(recording("a"), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("listeners[1]");
    assertThatThrownBy(() -> OutboxListener.of((OutboxListener[]) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("listeners");
  }

  @Test
  void theCombinedOutboxListenerPassesOnEveryEvent() throws Exception {
    for (Method event : OutboxListener.class.getDeclaredMethods()) {
      if (event.isDefault()) {
        assertThat(
                CombinedOutboxListener.class.getDeclaredMethod(
                    event.getName(), event.getParameterTypes()))
            .as(event.getName())
            .isNotNull();
      }
    }
  }
}
