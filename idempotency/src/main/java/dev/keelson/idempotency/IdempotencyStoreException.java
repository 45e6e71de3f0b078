package dev.keelson.idempotency;

import dev.keelson.core.KeelsonException;

/**
 * The idempotency store failed or timed out. Thrown instead of executing (Keelson fails closed: a
 * request whose key cannot be checked is not executed), or after executing when the result could
 * not be stored (the message says which; the key then stays in progress until its lease runs out).
 */
public final class IdempotencyStoreException extends KeelsonException {

  private static final long serialVersionUID = 1L;

  private final boolean executed;

  IdempotencyStoreException(String message, boolean executed, Throwable cause) {
    super(message, cause);
    this.executed = executed;
  }

  /**
   * @return true if the action ran before the store failed (its effect happened, its result was not
   *     stored); false if it did not run
   */
  public boolean executed() {
    return executed;
  }
}
