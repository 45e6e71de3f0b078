package dev.keelson.idempotency;

import dev.keelson.core.internal.Listeners;
import java.util.List;

/** Tells each of several listeners, in order: what {@link IdempotencyListener#of} returns. */
record CombinedIdempotencyListener(List<IdempotencyListener> all) implements IdempotencyListener {

  @Override
  public void onExecuted(String name, IdempotencyKey key) {
    Listeners.each(all, "onExecuted", l -> l.onExecuted(name, key));
  }

  @Override
  public void onReplayed(String name, IdempotencyKey key, boolean fromLocalCache) {
    Listeners.each(all, "onReplayed", l -> l.onReplayed(name, key, fromLocalCache));
  }

  @Override
  public void onInProgress(String name, IdempotencyKey key) {
    Listeners.each(all, "onInProgress", l -> l.onInProgress(name, key));
  }

  @Override
  public void onMismatch(String name, IdempotencyKey key) {
    Listeners.each(all, "onMismatch", l -> l.onMismatch(name, key));
  }

  @Override
  public void onLeaseExpired(String name, IdempotencyKey key) {
    Listeners.each(all, "onLeaseExpired", l -> l.onLeaseExpired(name, key));
  }

  @Override
  public void onStaleCompletion(String name, IdempotencyKey key) {
    Listeners.each(all, "onStaleCompletion", l -> l.onStaleCompletion(name, key));
  }

  @Override
  public void onResultNotKept(String name, IdempotencyKey key, String reason) {
    Listeners.each(all, "onResultNotKept", l -> l.onResultNotKept(name, key, reason));
  }

  @Override
  public void onCompletedWithoutResult(String name, IdempotencyKey key) {
    Listeners.each(all, "onCompletedWithoutResult", l -> l.onCompletedWithoutResult(name, key));
  }

  @Override
  public void onStoreError(String name, IdempotencyKey key, RuntimeException error) {
    Listeners.each(all, "onStoreError", l -> l.onStoreError(name, key, error));
  }
}
