package dev.keelson.idempotency;

import java.time.Duration;

/**
 * What {@link Idempotency#execute} did with a request. Map it to a response: {@link IdempotentHttp}
 * does so for HTTP.
 *
 * @param <T> the result
 */
public sealed interface Outcome<T> {

  /**
   * This call executed the request (the first for its key, or the first after a released failure or
   * an expired lease).
   *
   * @param result what the action returned
   */
  record Executed<T>(T result) implements Outcome<T> {}

  /**
   * An earlier call executed the request; this is its stored result.
   *
   * @param result the stored result
   */
  record Replayed<T>(T result) implements Outcome<T> {}

  /**
   * Another call is executing the same request (HTTP 409): try again later.
   *
   * @param retryAfter when the other call's lease runs out, at the latest
   */
  record InProgress<T>(Duration retryAfter) implements Outcome<T> {}

  /** The key was already used with a different request (HTTP 422). Nothing was executed. */
  record Mismatch<T>() implements Outcome<T> {}

  /**
   * An earlier call executed the request, but its result was not kept (it was larger than {@code
   * maxResultBytes}, could not be serialized, or the store failed to write it): the request will
   * not execute again within the retention, and there is nothing to replay. Tell the client not to
   * retry, and where to look the result up.
   */
  record CompletedWithoutResult<T>() implements Outcome<T> {}

  /**
   * This call executed the request, but took longer than its lease: another call took the key over
   * (and may have executed the request too), so this result was not stored; the other call's
   * stands. Answer the client as for {@link InProgress}: its retry gets the stored result.
   *
   * @param result what this call's action returned, for compensation or logging
   */
  record LeaseLost<T>(T result) implements Outcome<T> {}
}
