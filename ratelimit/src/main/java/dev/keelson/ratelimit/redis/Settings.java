package dev.keelson.ratelimit.redis;

import java.time.Duration;
import java.util.Objects;

/** The checks the Redis limiters' builders share, so both reject the same values the same way. */
final class Settings {

  private Settings() {}

  static Duration between(String field, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, field);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(field + ": " + value + " is not in " + min + ".." + max);
    }
    return value;
  }

  static int failuresToOpen(int failuresToOpen) {
    if (failuresToOpen < 1 || failuresToOpen > 1000) {
      throw new IllegalArgumentException(
          "failuresToOpen: " + failuresToOpen + " is not in 1..1000");
    }
    return failuresToOpen;
  }

  static Duration probeInterval(Duration probeInterval) {
    return between("probeInterval", probeInterval, Duration.ofMillis(10), Duration.ofMinutes(10));
  }

  static Duration stablePeriod(Duration stablePeriod) {
    return between("stablePeriod", stablePeriod, Duration.ZERO, Duration.ofHours(1));
  }
}
