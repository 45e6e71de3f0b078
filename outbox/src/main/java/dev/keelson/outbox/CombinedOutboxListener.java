package dev.keelson.outbox;

import dev.keelson.core.internal.Listeners;
import java.time.Duration;
import java.util.List;

/** Tells each of several listeners, in order: what {@link OutboxListener#of} returns. */
record CombinedOutboxListener(List<OutboxListener> all) implements OutboxListener {

  @Override
  public void onAppended(String outbox, int messages) {
    Listeners.each(all, "onAppended", l -> l.onAppended(outbox, messages));
  }

  @Override
  public void onPublished(
      String relay, OutboxMessage message, int attempts, Duration sinceCreated) {
    Listeners.each(all, "onPublished", l -> l.onPublished(relay, message, attempts, sinceCreated));
  }

  @Override
  public void onRetryScheduled(
      String relay, OutboxMessage message, int attempts, String error, Duration delay) {
    Listeners.each(
        all, "onRetryScheduled", l -> l.onRetryScheduled(relay, message, attempts, error, delay));
  }

  @Override
  public void onDead(String relay, OutboxMessage message, int attempts, String error) {
    Listeners.each(all, "onDead", l -> l.onDead(relay, message, attempts, error));
  }

  @Override
  public void onBatch(String relay, int size, Duration took) {
    Listeners.each(all, "onBatch", l -> l.onBatch(relay, size, took));
  }

  @Override
  public void onRelayError(String relay, Exception error) {
    Listeners.each(all, "onRelayError", l -> l.onRelayError(relay, error));
  }

  @Override
  public void onBacklog(String relay, Backlog backlog) {
    Listeners.each(all, "onBacklog", l -> l.onBacklog(relay, backlog));
  }
}
