package dev.keelson.outbox;

import dev.keelson.outbox.RelayStore.Claimed;
import dev.keelson.outbox.RelayStore.Failure;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A published batch's results sorted the way the store records them (delivered, to retry, dead),
 * each with the listener's event to tell once it is recorded. The store marks what it recorded; the
 * relay tells those events after the store has given its connection back, so a slow listener never
 * holds a pooled connection. A relay whose listener is {@link OutboxListener#NONE} passes no
 * events, so it builds none.
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

  /** Tells the events of the results the store recorded; the others are published again. */
  void tellRecorded() {
    delivered.tellIfRecorded();
    retried.tellIfRecorded();
    buried.tellIfRecorded();
  }

  /**
   * One kind of result: its rows, their events (one per row, or none when nobody listens), and
   * which rows the store has recorded.
   */
  static final class Kind<T> {
    private final List<T> results;
    private final List<Runnable> events = new ArrayList<>();
    private final BitSet recorded = new BitSet();

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

    /**
     * @param rowsChanged for each result in order, the rows its fenced write changed: 0 when the
     *     claim had run out and another relay holds the row, so the result is not this relay's to
     *     report ({@link java.sql.Statement#SUCCESS_NO_INFO} counts as changed)
     */
    void markRecorded(int[] rowsChanged) {
      for (int i = 0; i < rowsChanged.length; i++) {
        if (rowsChanged[i] != 0) {
          recorded.set(i);
        }
      }
    }

    /** Every result recorded: they were written in one transaction, which committed. */
    void markAll() {
      recorded.set(0, results.size());
    }

    private void tellIfRecorded() {
      for (int i = 0; i < events.size(); i++) {
        if (recorded.get(i)) {
          events.get(i).run();
        }
      }
    }
  }
}
