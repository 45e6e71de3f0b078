package dev.keelson.outbox;

import dev.keelson.outbox.RelayStore.Claimed;
import dev.keelson.outbox.RelayStore.Failure;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A published batch's results sorted the way the store records them (delivered, to retry, dead),
 * each with the listener's event to tell once its kind is recorded. The store marks what it
 * recorded; the relay tells those events after the store has given its connection back, so a slow
 * listener never holds a pooled connection. A relay whose listener is {@link OutboxListener#NONE}
 * passes no events, so it builds none.
 */
final class BatchOutcome {

  private final Kind<Claimed> delivered;
  private final Kind<Failure> retried = new Kind<>(new ArrayList<>());
  private final Kind<Failure> buried = new Kind<>(new ArrayList<>());

  BatchOutcome(int size) {
    this.delivered = new Kind<>(new ArrayList<>(size));
  }

  void delivered(Claimed message, @Nullable Runnable event) {
    delivered.add(message, event);
  }

  void retried(Failure message, @Nullable Runnable event) {
    retried.add(message, event);
  }

  void buried(Failure message, @Nullable Runnable event) {
    buried.add(message, event);
  }

  Kind<Claimed> delivered() {
    return delivered;
  }

  Kind<Failure> retried() {
    return retried;
  }

  Kind<Failure> buried() {
    return buried;
  }

  /** Tells the events of each kind the store recorded; the others are published again. */
  void tellRecorded() {
    delivered.tellIfRecorded();
    retried.tellIfRecorded();
    buried.tellIfRecorded();
  }

  /** One kind of result: its rows, their events, and whether the store has recorded them. */
  static final class Kind<T> {
    private final List<T> results;
    private final List<Runnable> events = new ArrayList<>();
    private boolean recorded;

    private Kind(List<T> results) {
      this.results = results;
    }

    private void add(T result, @Nullable Runnable event) {
      results.add(result);
      if (event != null) {
        events.add(event);
      }
    }

    List<T> results() {
      return results;
    }

    void markRecorded() {
      recorded = true;
    }

    private void tellIfRecorded() {
      if (recorded) {
        events.forEach(Runnable::run);
      }
    }
  }
}
