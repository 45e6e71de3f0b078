package dev.keelson.outbox;

/**
 * Error texts the outbox stores, reports and quotes. A publisher's error, or a message quoting a
 * stored row, may hold anything; PostgreSQL text cannot hold U+0000, no database can store an
 * unpaired surrogate as it is, and a receiver's error need not be kept whole: so an error is made
 * storable before it is written, and text quoted in an error is escaped.
 */
final class ErrorText {

  /** The longest error kept, in characters. */
  static final int MAX_LENGTH = 2000;

  /** The longest quoted value, in characters, before it is cut. */
  private static final int MAX_QUOTED = 100;

  private static final char REPLACEMENT = '\uFFFD';
  private static final char ELLIPSIS = '\u2026';

  private ErrorText() {}

  /**
   * @param text any error text
   * @return the text with U+0000 and each unpaired surrogate replaced by U+FFFD, cut to {@link
   *     #MAX_LENGTH} characters (the last one an ellipsis) if longer
   */
  static String storable(String text) {
    boolean cut = text.length() > MAX_LENGTH;
    int end = cut ? MAX_LENGTH - 1 : text.length();
    StringBuilder out = new StringBuilder(end + 1);
    for (int i = 0; i < end; i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < end
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else {
        out.append(c == '\u0000' || Character.isSurrogate(c) ? REPLACEMENT : c);
      }
    }
    return cut ? out.append(ELLIPSIS).toString() : out.toString();
  }

  /**
   * @param value text to quote in an error, such as a header name read from a stored row
   * @return the value in single quotes, with control characters and unpaired surrogates written as
   *     {@code \\uXXXX}, cut after {@value #MAX_QUOTED} characters (then ending in an ellipsis)
   */
  static String quoted(String value) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
    int end = Math.min(value.length(), MAX_QUOTED);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      boolean pair =
          Character.isHighSurrogate(c)
              && i + 1 < value.length()
              && Character.isLowSurrogate(value.charAt(i + 1));
      if (pair) {
        out.append(c).append(value.charAt(++i));
      } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
        out.append(String.format("\\u%04X", (int) c));
      } else {
        out.append(c);
      }
    }
    if (end < value.length()) {
      out.append(ELLIPSIS);
    }
    return out.append('\'').toString();
  }
}
