package dev.keelson.core;

/**
 * A backend (the database behind a JDBC store, the Redis behind a Redis one) failed an operation:
 * refused it, timed out or lost the connection. The message names the operation, what it was on (a
 * key, a resource, a queue) and where (the table), then the driver's own message; the cause is the
 * driver's exception. Nothing the operation was about to change has changed unless its
 * documentation says otherwise (a failed commit may still have landed: the stores' operations are
 * safe to repeat).
 */
public class BackendException extends KeelsonException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed, where, and the driver's message
   * @param cause the driver's exception
   */
  public BackendException(String message, Throwable cause) {
    super(message, cause);
  }
}
