package dev.keelson.outbox;

import dev.keelson.outbox.RelayStore.Claimed;
import dev.keelson.outbox.RelayStore.Failure;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A published batch's results sorted the way the store records them (delivered, to retry, dead),
 * each with the listener's event to tell once its kind is recorded. A relay whose listener is
 * {@link OutboxListener#NONE} passes no events, so it builds none.
 */
final class BatchOutcome {

  private final List<Claimed> delivered;
  private final List<Failure> retried = new ArrayList<>();
  private final List<Failure> buried = new ArrayList<>();
  private final List<Runnable> published = new ArrayList<>();
  private final List<Runnable> retries = new ArrayList<>();
  private final List<Runnable> deaths = new ArrayList<>();

  BatchOutcome(int size) {
    this.delivered = new ArrayList<>(size);
  }

  void delivered(Claimed message, @Nullable Runnable event) {
    delivered.add(message);
    add(published, event);
  }

  void retried(Failure message, @Nullable Runnable event) {
    retried.add(message);
    add(retries, event);
  }

  void buried(Failure message, @Nullable Runnable event) {
    buried.add(message);
    add(deaths, event);
  }

  private static void add(List<Runnable> events, @Nullable Runnable event) {
    if (event != null) {
      events.add(event);
    }
  }

  List<Claimed> delivered() {
    return delivered;
  }

  List<Failure> retried() {
    return retried;
  }

  List<Failure> buried() {
    return buried;
  }

  List<Runnable> published() {
    return published;
  }

  List<Runnable> retries() {
    return retries;
  }

  List<Runnable> deaths() {
    return deaths;
  }
}
