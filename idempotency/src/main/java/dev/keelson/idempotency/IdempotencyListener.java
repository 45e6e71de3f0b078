package dev.keelson.idempotency;

import dev.keelson.core.internal.Listeners;

/**
 * Hears what {@link Idempotency} does, for metrics and logs. Every method has an empty default;
 * implementations must be thread-safe and quick. Keys and namespaces may name people or tenants: do
 * not log them at INFO or above. A listener that throws is logged (once per kind at WARN) and
 * ignored: it never changes an outcome. Every event carries the {@link Idempotency#name() name} of
 * the executor it comes from, so one listener can serve many.
 */
public interface IdempotencyListener {

  /** Hears nothing. */
  IdempotencyListener NONE = new IdempotencyListener() {};

  /**
   * One listener that tells each of these in turn; one that throws does not stop the next.
   *
   * @param listeners the listeners, in order
   * @return the combined listener ({@link #NONE} for none, the listener itself for one)
   * @throws NullPointerException if a listener is null
   */
  static IdempotencyListener of(IdempotencyListener... listeners) {
    return Listeners.combine(listeners, NONE, CombinedIdempotencyListener::new);
  }

  default void onExecuted(String idempotency, IdempotencyKey key) {}

  default void onReplayed(String idempotency, IdempotencyKey key, boolean fromLocalCache) {}

  default void onInProgress(String idempotency, IdempotencyKey key) {}

  default void onMismatch(String idempotency, IdempotencyKey key) {}

  /** This call took the key over from an owner whose lease ran out without a completion. */
  default void onLeaseExpired(String idempotency, IdempotencyKey key) {}

  /**
   * This call executed but its lease had run out and another owner had taken over: its result was
   * not stored (the other owner's stands).
   */
  default void onStaleCompletion(String idempotency, IdempotencyKey key) {}

  /**
   * This call executed, but its result was not kept (the reason says why): duplicates get {@link
   * Outcome.CompletedWithoutResult} and nothing executes again.
   *
   * @param key the key
   * @param reason why the result was not kept
   */
  default void onResultNotKept(String idempotency, IdempotencyKey key, String reason) {}

  /**
   * A duplicate of a request that was executed but whose result was not kept: nothing executed,
   * nothing replayed.
   */
  default void onCompletedWithoutResult(String idempotency, IdempotencyKey key) {}

  /** The store failed or timed out; the request was refused or its result not stored. */
  default void onStoreError(String idempotency, IdempotencyKey key, RuntimeException error) {}
}
