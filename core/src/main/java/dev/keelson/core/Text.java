package dev.keelson.core;

import java.util.Objects;

/**
 * Checks of text that leaves the JVM: keys, names and headers become bytes (UTF-8 on Redis and in
 * SQL), and a string with an unpaired surrogate has no UTF-8 form. Lettuce and the JDBC drivers
 * turn such a character into {@code ?}, so two different Java strings would name one record;
 * Keelson refuses them instead.
 */
public final class Text {

  private Text() {}

  /**
   * @param field the argument, as the message names it
   * @param value the text
   * @return the value
   * @throws IllegalArgumentException naming the field and the index, if the text has a surrogate
   *     that is not part of a pair
   */
  public static String checkWellFormed(String field, String value) {
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
                + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT)
                + ") at index "
                + i
                + ", which has no UTF-8 form");
      }
    }
    return value;
  }
}
