package dev.keelson.retry;

import java.time.Duration;
import java.util.Optional;

/**
 * The attempt in progress, as a {@link RetryableCall} sees it: its number and the time left before
 * the call's deadline, so that the attempt can bound its own timeout by it. It is a read-only view
 * of the call's execution; only Keelson creates it.
 */
public abstract sealed class Attempt permits Execution {

  Attempt() {}

  /**
   * @return 1 for the first attempt, 2 for the first retry...
   */
  public abstract int number();

  /**
   * Time left before the deadline, never negative; empty when the call has no deadline.
   *
   * @return the time left
   */
  public abstract Optional<Duration> remaining();

  /**
   * @return nanoseconds left before the deadline, or {@link Long#MAX_VALUE} without a deadline
   */
  public abstract long remainingNanos();

  @Override
  public String toString() {
    return "Attempt[" + number() + remaining().map(left -> ", remaining " + left).orElse("") + "]";
  }
}
