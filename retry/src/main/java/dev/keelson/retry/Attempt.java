package dev.keelson.retry;

import dev.keelson.core.Ticker;
import java.time.Duration;
import java.util.Optional;

/**
 * The attempt in progress, as a {@link RetryableCall} sees it: its number and the time left before
 * the call's deadline, so that the attempt can bound its own timeout by it.
 */
public final class Attempt {

  private final Ticker ticker;
  private final long deadlineNanos;
  private final boolean hasDeadline;
  private int number;

  Attempt(Ticker ticker, long deadlineNanos, boolean hasDeadline) {
    this.ticker = ticker;
    this.deadlineNanos = deadlineNanos;
    this.hasDeadline = hasDeadline;
  }

  void next() {
    number++;
  }

  /**
   * @return 1 for the first attempt, 2 for the first retry...
   */
  public int number() {
    return number;
  }

  /**
   * Time left before the deadline, never negative; empty when the call has no deadline.
   *
   * @return the time left
   */
  public Optional<Duration> remaining() {
    return hasDeadline ? Optional.of(Duration.ofNanos(remainingNanos())) : Optional.empty();
  }

  /**
   * @return nanoseconds left before the deadline, or {@link Long#MAX_VALUE} without a deadline
   */
  public long remainingNanos() {
    return hasDeadline ? Math.max(0, deadlineNanos - ticker.nanoTime()) : Long.MAX_VALUE;
  }

  @Override
  public String toString() {
    return "Attempt["
        + number
        + (hasDeadline ? ", remaining " + remaining().orElseThrow() : "")
        + "]";
  }
}
