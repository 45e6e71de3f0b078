package dev.keelson.retry.internal;

import java.time.Duration;
import java.util.Objects;

/** Validation that names the field, the value and the allowed range. */
public final class Checks {

  private Checks() {}

  /** A duration of at least {@code minNanos}, in nanoseconds (saturating at about 292 years). */
  public static long nanos(String field, Duration value, long minNanos) {
    Objects.requireNonNull(value, field);
    long nanos = saturatedNanos(value);
    if (nanos < minNanos) {
      throw new IllegalArgumentException(
          field
              + ": "
              + value
              + " is too short; it must be at least "
              + Duration.ofNanos(minNanos));
    }
    return nanos;
  }

  public static int atLeast(String field, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(field + ": " + value + " must be at least " + min);
    }
    return value;
  }

  public static long atLeast(String field, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(field + ": " + value + " must be at least " + min);
    }
    return value;
  }

  public static double between(String field, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(field + ": " + value + " is not in " + min + ".." + max);
    }
    return value;
  }

  public static long saturatedNanos(Duration value) {
    try {
      return value.toNanos();
    } catch (ArithmeticException e) {
      return value.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
