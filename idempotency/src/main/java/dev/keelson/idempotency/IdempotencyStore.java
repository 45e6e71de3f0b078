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
 *
 * <p>A completed record holds the result, or, when the result could not be kept (too large, not
 * serializable, or the store failed to write it), only the fact that the request was executed:
 * either way the key never executes again within its retention. Keelson's stores check their
 * arguments the same way, also when called directly: an owner is 1 to {@link #MAX_OWNER_LENGTH}
 * characters; a lease and a retention are 1 ms to {@link #LONGEST}, the lease shorter.
 */
public interface IdempotencyStore {

  /** The longest owner token. */
  int MAX_OWNER_LENGTH = 64;

  /** The longest lease or retention a store accepts. */
  Duration LONGEST = Duration.ofDays(365);

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
   * Marks the request executed without its result, if the owner still holds the key: duplicates
   * then get {@link CompletedWithoutResult} instead of executing again. If this owner has already
   * completed the key (a {@link #complete} that failed on the way back may have been applied), the
   * record stays as it is and the answer is true.
   *
   * @param key the key
   * @param owner the owner token given to {@link #begin}
   * @param retention how long the completed record is kept, from now
   * @return true if recorded, or completed by this owner already; false if the owner's lease ran
   *     out and another took over (nothing changed)
   */
  boolean completeWithoutResult(IdempotencyKey key, String owner, Duration retention);

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

  /** The request was executed, but its result was not kept: there is nothing to replay. */
  record CompletedWithoutResult() implements Begin {}

  /** The key was used with another fingerprint: a different request. */
  record Mismatch() implements Begin {}
}
