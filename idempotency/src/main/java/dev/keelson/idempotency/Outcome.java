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
}
