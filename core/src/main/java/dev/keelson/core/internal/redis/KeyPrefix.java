package dev.keelson.core.internal.redis;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The prefix every Redis key of a Keelson backend starts with (default {@code keelson:}), checked
 * the same way everywhere: it goes into key names, so it must be short and plain.
 */
public final class KeyPrefix {

  /** The prefix when the user names none. */
  public static final String DEFAULT = "keelson:";

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.:-]{0,64}");

  private KeyPrefix() {}

  /**
   * @param keyPrefix the prefix
   * @return the prefix
   * @throws IllegalArgumentException if it is longer than 64 characters or has characters other
   *     than letters, digits, '_', '.', ':' and '-' (braces would change Cluster hash slots)
   */
  public static String check(String keyPrefix) {
    Objects.requireNonNull(keyPrefix, "keyPrefix");
    if (!PREFIX.matcher(keyPrefix).matches()) {
      throw new IllegalArgumentException(
          "keyPrefix: '" + keyPrefix + "' must be up to 64 letters, digits, '_', '.', ':' or '-'");
    }
    return keyPrefix;
  }
}
