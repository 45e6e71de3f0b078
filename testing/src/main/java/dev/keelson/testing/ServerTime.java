package dev.keelson.testing;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Real servers expire keys and rows on their own clocks, which a test cannot move the way it moves
 * a {@link ManualClock}: to see an expiry happen, it can only let the time pass.
 */
public final class ServerTime {

  private static final Duration ROUND_TRIP_SLACK = Duration.ofMillis(50);

  private ServerTime() {}

  /**
   * Returns once {@code duration}, plus a little for the round trip, has passed.
   *
   * @param duration at least this long
   */
  public static void letPass(Duration duration) {
    long until = System.nanoTime() + duration.toNanos() + ROUND_TRIP_SLACK.toNanos();
    for (long left = until - System.nanoTime(); left > 0; left = until - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }
}
