package dev.keelson.idempotency;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Writes down every event as a line, for tests to compare. */
public final class RecordingIdempotencyListener implements IdempotencyListener {

  private final List<String> heard = new CopyOnWriteArrayList<>();

  public List<String> heard() {
    return List.copyOf(heard);
  }

  @Override
  public void onExecuted(String idempotency, IdempotencyKey key) {
    heard.add("executed " + key.key());
  }

  @Override
  public void onReplayed(String idempotency, IdempotencyKey key, boolean fromLocalCache) {
    heard.add("replayed " + key.key() + (fromLocalCache ? " from the local cache" : ""));
  }

  @Override
  public void onInProgress(String idempotency, IdempotencyKey key) {
    heard.add("in progress " + key.key());
  }

  @Override
  public void onMismatch(String idempotency, IdempotencyKey key) {
    heard.add("mismatch " + key.key());
  }

  @Override
  public void onLeaseExpired(String idempotency, IdempotencyKey key) {
    heard.add("lease expired " + key.key());
  }

  @Override
  public void onStaleCompletion(String idempotency, IdempotencyKey key) {
    heard.add("stale completion " + key.key());
  }

  @Override
  public void onCompletedWithoutResult(String idempotency, IdempotencyKey key) {
    heard.add("completed without result " + key.key());
  }

  @Override
  public void onResultNotKept(String idempotency, IdempotencyKey key, String reason) {
    heard.add("result not kept " + key.key());
  }

  @Override
  public void onStoreError(String idempotency, IdempotencyKey key, RuntimeException error) {
    heard.add("store error " + key.key());
  }
}
