package dev.keelson.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Time that moves only when a test moves it: a wall clock ({@link Clock}) and a monotonic ticker
 * ({@link #nanoTime()}, usable as {@code dev.keelson.core.Ticker} with {@code clock::nanoTime})
 * driven together. Tests advance it instead of sleeping. Thread-safe.
 *
 * <p>{@link #advance(Duration)} moves both; {@link #jumpWallClock(Duration)} moves only the wall
 * clock, as an NTP correction would, so tests can prove that durations use the ticker.
 */
public final class ManualClock extends Clock {

  private final AtomicLong nanos;
  private final AtomicLong wallOffsetNanos;
  private final Instant origin;
  private final ZoneId zone;

  private ManualClock(Instant origin, AtomicLong nanos, AtomicLong wallOffsetNanos, ZoneId zone) {
    this.origin = origin;
    this.nanos = nanos;
    this.wallOffsetNanos = wallOffsetNanos;
    this.zone = zone;
  }

  /**
   * A clock whose wall time starts at {@code start} and whose ticker starts at zero.
   *
   * @param start the initial wall time
   * @return the clock, in UTC
   */
  public static ManualClock startingAt(Instant start) {
    return new ManualClock(
        Objects.requireNonNull(start, "start"), new AtomicLong(), new AtomicLong(), ZoneOffset.UTC);
  }

  /**
   * A clock starting at 2020-01-01T00:00:00Z.
   *
   * @return the clock
   */
  public static ManualClock create() {
    return startingAt(Instant.parse("2020-01-01T00:00:00Z"));
  }

  /**
   * Moves the ticker and the wall clock forward.
   *
   * @param duration how far, zero or more
   */
  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException(
          "duration: " + duration + " is negative; the ticker never goes back");
    }
    nanos.addAndGet(duration.toNanos());
  }

  /**
   * Moves only the wall clock, forward or back; the ticker is unchanged.
   *
   * @param offset how far, negative to go back
   */
  public void jumpWallClock(Duration offset) {
    wallOffsetNanos.addAndGet(offset.toNanos());
  }

  /**
   * The ticker: nanoseconds since the clock was made, moved only by {@link #advance}.
   *
   * @return the ticker's reading
   */
  public long nanoTime() {
    return nanos.get();
  }

  @Override
  public Instant instant() {
    return origin.plusNanos(nanos.get() + wallOffsetNanos.get());
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** A view in another zone that shares this clock's time. */
  @Override
  public ManualClock withZone(ZoneId zone) {
    return new ManualClock(origin, nanos, wallOffsetNanos, Objects.requireNonNull(zone, "zone"));
  }

  @Override
  public String toString() {
    return "ManualClock[" + instant() + ", ticker=" + nanoTime() + "ns]";
  }
}
