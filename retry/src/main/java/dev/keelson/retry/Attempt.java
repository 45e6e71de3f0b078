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
  private final long startNanos;
  private final long deadlineNanos;
  private final boolean hasDeadline;
  private int number;

  /**
   * @param startNanos the ticker's reading when the call started
   * @param deadlineNanos the call's time budget from its start
   */
  Attempt(Ticker ticker, long startNanos, long deadlineNanos, boolean hasDeadline) {
    this.ticker = ticker;
    this.startNanos = startNanos;
    this.deadlineNanos = deadlineNanos;
    this.hasDeadline = hasDeadline;
  }

  /**
   * Nanoseconds left of a time budget, never negative. Computed from the time elapsed, a difference
   * of two readings, so that it holds wherever the ticker's origin lies (a reading near {@code
   * Long.MAX_VALUE} wraps, as {@link System#nanoTime()} may) and for any budget up to {@code
   * Long.MAX_VALUE}.
   */
  static long remainingNanos(Ticker ticker, long startNanos, long deadlineNanos) {
    long elapsed = Math.max(0, ticker.nanoTime() - startNanos);
    return Math.max(0, deadlineNanos - elapsed);
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
    return hasDeadline ? remainingNanos(ticker, startNanos, deadlineNanos) : Long.MAX_VALUE;
  }

  @Override
  public String toString() {
    return "Attempt["
        + number
        + (hasDeadline ? ", remaining " + remaining().orElseThrow() : "")
        + "]";
  }
}
