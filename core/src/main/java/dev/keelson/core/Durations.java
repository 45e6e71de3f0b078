package dev.keelson.core;

import java.time.Duration;
import java.util.Objects;

/** The one check every builder makes of a duration setting, with the same message everywhere. */
public final class Durations {

  private Durations() {}

  /**
   * @param name the setting, as the message names it
   * @param value the given duration
   * @param min the shortest allowed
   * @param max the longest allowed
   * @return the value
   * @throws IllegalArgumentException naming the setting, if the value is outside min..max
   */
  public static Duration within(String name, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, name);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(name + ": " + value + " is not in " + min + ".." + max);
    }
    return value;
  }
}
