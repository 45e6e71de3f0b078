package dev.keelson.retry;

import dev.keelson.core.KeelsonException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The marker a call attaches, as a suppressed exception, to the failure it throws when it stops
 * retrying for a reason other than the failure itself: attempts exhausted, budget refused,
 * deadline, a {@code Retry-After} too long. The thrown exception keeps its own type; this says why
 * there was no further attempt.
 *
 * <pre>{@code
 * catch (IOException e) {
 *   if (RetryStoppedException.in(e).map(s -> s.reason() == StopReason.BUDGET_EXHAUSTED).orElse(false)) {
 *     // the dependency is down for everyone: shed load instead of queueing
 *   }
 * }
 * }</pre>
 */
public final class RetryStoppedException extends KeelsonException {

  private static final long serialVersionUID = 1L;

  private final StopReason reason;
  private final int attempts;

  public RetryStoppedException(StopReason reason, int attempts) {
    super("retries stopped after " + attempts + " attempt(s): " + reason, null, false, false);
    this.reason = reason;
    this.attempts = attempts;
  }

  /**
   * The marker attached to a failure, if any.
   *
   * @param failure what a call threw
   * @return the marker
   */
  public static Optional<RetryStoppedException> in(Throwable failure) {
    return Arrays.stream(failure.getSuppressed())
        .filter(RetryStoppedException.class::isInstance)
        .map(RetryStoppedException.class::cast)
        .findFirst();
  }

  public StopReason reason() {
    return reason;
  }

  public int attempts() {
    return attempts;
  }
}
