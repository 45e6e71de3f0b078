package dev.keelson.core.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The argument checks of every Keelson entry point, so each message has the same shape: the field,
 * the value and the allowed range ({@code "lease: PT2H is not in PT0.01S..PT1H"}). Each check
 * returns its value, so a builder can check and assign in one line; a null value throws a {@link
 * NullPointerException} that names the field.
 */
public final class Checks {

  private Checks() {}

  /**
   * A count that has one right value, as the keys of a request to a hierarchy.
   *
   * @param why what the value is: {@code "one key per level"}
   */
  public static int exactly(String field, int value, int expected, String why) {
    if (value != expected) {
      throw new IllegalArgumentException(
          field + ": must be " + expected + " (" + why + "), not " + value);
    }
    return value;
  }

  public static int between(String field, int value, int min, int max) {
    if (value < min || value > max) {
      throw notIn(field, value, min + ".." + max);
    }
    return value;
  }

  public static long between(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw notIn(field, value, min + ".." + max);
    }
    return value;
  }

  /** Also refuses NaN. */
  public static double between(String field, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw notIn(field, value, min + ".." + max);
    }
    return value;
  }

  public static Duration between(
      String field, @Nullable Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, field);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw notIn(field, value, min + ".." + max);
    }
    return value;
  }

  public static long atLeast(String field, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(field + ": " + value + " must be at least " + min);
    }
    return value;
  }

  public static Duration atLeast(String field, @Nullable Duration value, Duration min) {
    Objects.requireNonNull(value, field);
    if (value.compareTo(min) < 0) {
      throw new IllegalArgumentException(field + ": " + value + " must be at least " + min);
    }
    return value;
  }

  /**
   * @return the value
   * @throws IllegalArgumentException if the duration is zero or negative
   */
  public static Duration positive(String field, @Nullable Duration value) {
    Objects.requireNonNull(value, field);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(field + ": " + value + " must be more than zero");
    }
    return value;
  }

  /**
   * Text that leaves the JVM as a name or key: 1 to {@code maxLength} characters, and well formed
   * (see {@link #wellFormed}).
   */
  public static String text(String field, @Nullable String value, int maxLength) {
    Objects.requireNonNull(value, field);
    if (value.isEmpty() || value.length() > maxLength) {
      throw new IllegalArgumentException(
          field + ": must be 1 to " + maxLength + " characters, not " + value.length());
    }
    return wellFormed(field, value);
  }

  /**
   * A key part that must not contain a Redis Cluster hash tag: with '{' or '}' a caller could
   * choose the slot of a key that Keelson places.
   */
  public static String noHashTag(String field, String value) {
    if (value.indexOf('{') >= 0 || value.indexOf('}') >= 0) {
      throw new IllegalArgumentException(field + ": '" + value + "' must not contain '{' or '}'");
    }
    return value;
  }

  /**
   * Text that becomes bytes (UTF-8 on Redis and in SQL) must have no unpaired surrogate: it has no
   * UTF-8 form, Lettuce and the JDBC drivers turn it into {@code ?}, and two different Java strings
   * would name one record.
   *
   * @return the value
   * @throws IllegalArgumentException naming the field and the index of the unpaired surrogate
   */
  public static String wellFormed(String field, @Nullable String value) {
    Objects.requireNonNull(value, field);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException(
            field
                + ": has an unpaired surrogate (U+"
                + Integer.toHexString(c).toUpperCase(Locale.ROOT)
                + ") at index "
                + i
                + ", which has no UTF-8 form");
      }
    }
    return value;
  }

  /** A duration in nanoseconds, saturating at about 292 years either way. */
  public static long saturatedNanos(Duration value) {
    try {
      return value.toNanos();
    } catch (ArithmeticException e) {
      return value.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /**
   * As {@link #between(String, long, long, long)}, with the reason for the range after the message,
   * for a check on a hot path that words its reason only when it fails.
   *
   * @param why why the range is what it is: {@code "'small' can never grant more at once"}
   * @return the failure to throw: {@code permits: 6 is not in 1..5 ('small' can never grant more at
   *     once)}
   */
  public static IllegalArgumentException notIn(
      String field, long value, long min, long max, String why) {
    return new IllegalArgumentException(
        field + ": " + value + " is not in " + min + ".." + max + " (" + why + ")");
  }

  private static IllegalArgumentException notIn(String field, Object value, String range) {
    return new IllegalArgumentException(field + ": " + value + " is not in " + range);
  }
}
