package dev.keelson.ratelimit.internal;

import dev.keelson.core.internal.Checks;
import org.jspecify.annotations.Nullable;

/** The one check of a rate-limited key, so every limiter and hierarchy rejects the same keys. */
public final class Keys {

  /** The longest key, in characters. */
  public static final int MAX_LENGTH = 512;

  private Keys() {}

  /**
   * @param field the argument, as the message names it
   * @param key the key
   * @return the key
   * @throws NullPointerException naming the field, if it is null
   * @throws IllegalArgumentException if it is empty, longer than {@link #MAX_LENGTH}, has a '{' or
   *     '}' (they would choose its Redis Cluster slot) or an unpaired surrogate (it has no UTF-8
   *     form: Lettuce would send it as '?', so two keys would share one count)
   */
  public static String check(String field, @Nullable String key) {
    return Checks.noHashTag(field, Checks.text(field, key, MAX_LENGTH));
  }
}
