package dev.keelson.core;

/**
 * The database behind a JDBC backend failed an operation: refused it, timed out or lost the
 * connection. The message names the operation, what it was on (a key, a resource, a queue) and
 * where (the table), then the driver's own message; the cause is the {@link java.sql.SQLException}
 * (a Redis backend lets Lettuce's own {@code RedisException} through). Nothing the operation was
 * about to change has changed unless its documentation says otherwise (a failed commit may still
 * have landed: the stores' operations are safe to repeat).
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
