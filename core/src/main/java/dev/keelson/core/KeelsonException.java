package dev.keelson.core;

import org.jspecify.annotations.Nullable;

/**
 * The root of the failures Keelson reports that are not the caller's mistake: a database that
 * failed ({@link BackendException}), an idempotency store that could not answer, the marker a retry
 * leaves on the failure it gave up on. A bad argument is an {@link IllegalArgumentException} (or a
 * {@link NullPointerException} for a null), a call in the wrong state an {@link
 * IllegalStateException}, as in the JDK.
 */
public class KeelsonException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what happened
   * @param cause why, if known
   */
  public KeelsonException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }

  /**
   * For a failure that is an answer, not a bug (a retry that stopped as told), with no stack trace
   * to fill in.
   *
   * @param message what happened
   * @param cause why, if known
   * @param enableSuppression whether suppressed exceptions are kept
   * @param writableStackTrace whether the stack trace is filled in
   */
  protected KeelsonException(
      String message,
      @Nullable Throwable cause,
      boolean enableSuppression,
      boolean writableStackTrace) {
    super(message, cause, enableSuppression, writableStackTrace);
  }
}
