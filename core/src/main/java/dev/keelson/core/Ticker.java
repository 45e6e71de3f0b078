package dev.keelson.core;

/**
 * A monotonic time source in nanoseconds, for measuring durations (deadlines, refill intervals,
 * lease safety margins). Its values mean nothing on their own: only the difference between two
 * readings of the same ticker is a duration.
 *
 * <p>Wall-clock timestamps, which must be comparable across processes, come from a {@link
 * java.time.Clock} instead. Components take both injected, so tests drive them with a manual clock
 * rather than by sleeping.
 */
@FunctionalInterface
public interface Ticker {

  /**
   * Reads the ticker.
   *
   * @return nanoseconds since an arbitrary, fixed origin; never decreases
   */
  long nanoTime();

  /**
   * The ticker of this JVM, {@link System#nanoTime()}.
   *
   * @return the system ticker
   */
  static Ticker system() {
    return System::nanoTime;
  }
}
