package dev.keelson.idempotency;

/**
 * Hears what {@link Idempotency} does, for metrics and logs. Every method has an empty default;
 * implementations must be thread-safe and quick. Keys and namespaces may name people or tenants: do
 * not log them at INFO or above. A listener that throws is logged (once per kind at WARN) and
 * ignored: it never changes an outcome.
 */
public interface IdempotencyListener {

  /** Hears nothing. */
  IdempotencyListener NONE = new IdempotencyListener() {};

  default void onExecuted(IdempotencyKey key) {}

  default void onReplayed(IdempotencyKey key, boolean fromLocalCache) {}

  default void onInProgress(IdempotencyKey key) {}

  default void onMismatch(IdempotencyKey key) {}

  /** This call took the key over from an owner whose lease ran out without a completion. */
  default void onLeaseExpired(IdempotencyKey key) {}

  /**
   * This call executed but its lease had run out and another owner had taken over: its result was
   * not stored (the other owner's stands).
   */
  default void onStaleCompletion(IdempotencyKey key) {}

  /**
   * This call executed, but its result was not kept (the reason says why): duplicates get {@link
   * Outcome.CompletedWithoutResult} and nothing executes again.
   *
   * @param key the key
   * @param reason why the result was not kept
   */
  default void onResultNotKept(IdempotencyKey key, String reason) {}

  /**
   * A duplicate of a request that was executed but whose result was not kept: nothing executed,
   * nothing replayed.
   */
  default void onCompletedWithoutResult(IdempotencyKey key) {}

  /** The store failed or timed out; the request was refused or its result not stored. */
  default void onStoreError(IdempotencyKey key, RuntimeException error) {}
}
