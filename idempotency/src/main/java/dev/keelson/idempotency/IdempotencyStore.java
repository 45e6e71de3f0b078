package dev.keelson.idempotency;

import java.time.Duration;
import java.time.Instant;

/**
 * Where idempotency records live: one per key, in progress (with an owner token and a lease) or
 * completed (with the stored result). Each operation is atomic in the store. One contract test kit
 * checks every implementation.
 *
 * <p>Records expire {@code retention} after they were begun or completed; an in-progress record
 * whose lease ran out may be taken over by a new owner, after which the old owner's completion is
 * refused.
 */
public interface IdempotencyStore {

  /**
   * Starts executing the key for an owner, or says why not.
   *
   * @param key the key
   * @param fingerprint the request's fingerprint
   * @param owner a token unique to this execution, at most 64 characters
   * @param lease how long the owner may take before another may take over
   * @param retention how long the record is kept
   * @return what the store holds for the key now
   */
  Begin begin(
      IdempotencyKey key,
      Fingerprint fingerprint,
      String owner,
      Duration lease,
      Duration retention);

  /**
   * Stores the result, if the owner still holds the key.
   *
   * @param key the key
   * @param owner the owner token given to {@link #begin}
   * @param result the serialized result
   * @param retention how long the completed record is kept, from now
   * @return true if stored; false if the owner's lease ran out and another took over (nothing
   *     changed)
   */
  boolean complete(IdempotencyKey key, String owner, byte[] result, Duration retention);

  /**
   * Forgets an in-progress record, if the owner still holds it, so a retry executes again.
   *
   * @param key the key
   * @param owner the owner token given to {@link #begin}
   * @return true if released; false if the owner no longer held it
   */
  boolean release(IdempotencyKey key, String owner);

  /** What {@link #begin} found. */
  sealed interface Begin {}

  /**
   * The caller owns the key now and must execute, then complete or release.
   *
   * @param tookOver true if a previous owner's lease ran out without a completion
   */
  record Started(boolean tookOver) implements Begin {}

  /**
   * Another owner is executing the same request.
   *
   * @param leaseExpiresAt when that owner's lease runs out, by the store's clock
   */
  record Running(Instant leaseExpiresAt) implements Begin {}

  /**
   * The request was executed; here is its result.
   *
   * @param result the serialized result
   */
  record Completed(byte[] result) implements Begin {}

  /** The key was used with another fingerprint: a different request. */
  record Mismatch() implements Begin {}
}
