package dev.keelson.ratelimit.internal;

import dev.keelson.core.internal.Checks;
import org.jspecify.annotations.Nullable;

/** The one check of a limiter's or hierarchy's name, the name its listener events carry. */
public final class LimiterNames {

  /** The name of a limiter whose builder was given none. */
  public static final String DEFAULT = "default";

  /** The longest name, in characters. */
  public static final int MAX_LENGTH = 64;

  private LimiterNames() {}

  /**
   * @param name the name
   * @return the name
   * @throws NullPointerException if it is null
   * @throws IllegalArgumentException if it is empty, longer than {@link #MAX_LENGTH} or has an
   *     unpaired surrogate
   */
  public static String check(@Nullable String name) {
    return Checks.text("name", name, MAX_LENGTH);
  }
}
