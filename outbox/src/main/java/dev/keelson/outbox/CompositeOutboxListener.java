package dev.keelson.outbox;

import dev.keelson.core.internal.Listeners;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What {@link OutboxListener#of} returns for two or more listeners: tells each in turn. */
final class CompositeOutboxListener implements OutboxListener {

  private final OutboxListener[] listeners;

  private CompositeOutboxListener(OutboxListener[] listeners) {
    this.listeners = listeners;
  }

  static OutboxListener of(OutboxListener... listeners) {
    Objects.requireNonNull(listeners, "listeners");
    List<OutboxListener> told = new ArrayList<>(listeners.length);
    for (int i = 0; i < listeners.length; i++) {
      OutboxListener listener = Objects.requireNonNull(listeners[i], "listeners[" + i + "]");
      // NONE hears nothing: leaving it out keeps a relay given only NONE on its no-op path.
      if (listener != NONE) {
        told.add(listener);
      }
    }
    if (told.isEmpty()) {
      return NONE;
    }
    return told.size() == 1
        ? told.get(0)
        : new CompositeOutboxListener(told.toArray(new OutboxListener[0]));
  }

  @Override
  public void onPublished(
      String relay, OutboxMessage message, int attempts, Duration sinceCreated) {
    for (OutboxListener listener : listeners) {
      Listeners.notify(
          listener, "onPublished", l -> l.onPublished(relay, message, attempts, sinceCreated));
    }
  }

  @Override
  public void onRetryScheduled(
      String relay, OutboxMessage message, int attempts, String error, Duration delay) {
    for (OutboxListener listener : listeners) {
      Listeners.notify(
          listener,
          "onRetryScheduled",
          l -> l.onRetryScheduled(relay, message, attempts, error, delay));
    }
  }

  @Override
  public void onDead(String relay, OutboxMessage message, int attempts, String error) {
    for (OutboxListener listener : listeners) {
      Listeners.notify(listener, "onDead", l -> l.onDead(relay, message, attempts, error));
    }
  }

  @Override
  public void onBatch(String relay, int size, Duration took) {
    for (OutboxListener listener : listeners) {
      Listeners.notify(listener, "onBatch", l -> l.onBatch(relay, size, took));
    }
  }

  @Override
  public void onRelayError(String relay, Exception error) {
    for (OutboxListener listener : listeners) {
      Listeners.notify(listener, "onRelayError", l -> l.onRelayError(relay, error));
    }
  }

  @Override
  public String toString() {
    return "OutboxListener.of" + List.of(listeners);
  }
}
