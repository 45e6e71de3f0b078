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
  public void onExecuted(IdempotencyKey key) {
    heard.add("executed " + key.key());
  }

  @Override
  public void onReplayed(IdempotencyKey key, boolean fromLocalCache) {
    heard.add("replayed " + key.key() + (fromLocalCache ? " from the local cache" : ""));
  }

  @Override
  public void onInProgress(IdempotencyKey key) {
    heard.add("in progress " + key.key());
  }

  @Override
  public void onMismatch(IdempotencyKey key) {
    heard.add("mismatch " + key.key());
  }

  @Override
  public void onLeaseExpired(IdempotencyKey key) {
    heard.add("lease expired " + key.key());
  }

  @Override
  public void onStaleCompletion(IdempotencyKey key) {
    heard.add("stale completion " + key.key());
  }

  @Override
  public void onCompletedWithoutResult(IdempotencyKey key) {
    heard.add("completed without result " + key.key());
  }

  @Override
  public void onResultNotKept(IdempotencyKey key, String reason) {
    heard.add("result not kept " + key.key());
  }

  @Override
  public void onStoreError(IdempotencyKey key, RuntimeException error) {
    heard.add("store error " + key.key());
  }
}
