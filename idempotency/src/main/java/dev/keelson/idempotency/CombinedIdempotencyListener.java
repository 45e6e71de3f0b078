package dev.keelson.idempotency;

import dev.keelson.core.internal.Listeners;
import java.util.List;

/** Tells each of several listeners, in order: what {@link IdempotencyListener#of} returns. */
record CombinedIdempotencyListener(List<IdempotencyListener> all) implements IdempotencyListener {

  @Override
  public void onExecuted(String idempotency, IdempotencyKey key) {
    Listeners.each(all, "onExecuted", l -> l.onExecuted(idempotency, key));
  }

  @Override
  public void onReplayed(String idempotency, IdempotencyKey key, boolean fromLocalCache) {
    Listeners.each(all, "onReplayed", l -> l.onReplayed(idempotency, key, fromLocalCache));
  }

  @Override
  public void onInProgress(String idempotency, IdempotencyKey key) {
    Listeners.each(all, "onInProgress", l -> l.onInProgress(idempotency, key));
  }

  @Override
  public void onMismatch(String idempotency, IdempotencyKey key) {
    Listeners.each(all, "onMismatch", l -> l.onMismatch(idempotency, key));
  }

  @Override
  public void onLeaseExpired(String idempotency, IdempotencyKey key) {
    Listeners.each(all, "onLeaseExpired", l -> l.onLeaseExpired(idempotency, key));
  }

  @Override
  public void onStaleCompletion(String idempotency, IdempotencyKey key) {
    Listeners.each(all, "onStaleCompletion", l -> l.onStaleCompletion(idempotency, key));
  }

  @Override
  public void onResultNotKept(String idempotency, IdempotencyKey key, String reason) {
    Listeners.each(all, "onResultNotKept", l -> l.onResultNotKept(idempotency, key, reason));
  }

  @Override
  public void onCompletedWithoutResult(String idempotency, IdempotencyKey key) {
    Listeners.each(
        all, "onCompletedWithoutResult", l -> l.onCompletedWithoutResult(idempotency, key));
  }

  @Override
  public void onStoreError(String idempotency, IdempotencyKey key, RuntimeException error) {
    Listeners.each(all, "onStoreError", l -> l.onStoreError(idempotency, key, error));
  }
}
