package dev.keelson.core.internal;

import org.jspecify.annotations.Nullable;

/**
 * The one check of a component's name (a limiter's, a retry policy's, a relay's...): the name its
 * listener events carry, for metrics to tag by.
 */
public final class Names {

  /** The name of a component whose builder was given none. */
  public static final String DEFAULT = "default";

  /** The longest name, in characters. */
  public static final int MAX_LENGTH = 64;

  private Names() {}

  /**
   * @param name the name
   * @return the name
   * @throws NullPointerException if it is null
   * @throws IllegalArgumentException if it is blank, longer than {@link #MAX_LENGTH}, or has a
   *     control character or an unpaired surrogate
   */
  public static String check(@Nullable String name) {
    String checked = Checks.text("name", name, MAX_LENGTH);
    if (checked.isBlank()) { // a metric tagged " " reads as untagged
      throw new IllegalArgumentException("name: must not be blank");
    }
    for (int i = 0; i < checked.length(); i++) {
      if (Character.isISOControl(checked.charAt(i))) { // it becomes a tag, a log line
        throw new IllegalArgumentException("name: has a control character at index " + i);
      }
    }
    return checked;
  }
}
