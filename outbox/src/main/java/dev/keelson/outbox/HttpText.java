package dev.keelson.outbox;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * What HTTP can carry in a header, and how the webhook carries the rest. A field value goes as it
 * is when it is visible ASCII with inner spaces (as every HTTP stack passes it on unchanged);
 * anything else (other Unicode, control characters, line breaks, leading or trailing spaces) is
 * percent-encoded: its UTF-8 bytes, each byte other than an RFC 3986 unreserved character ({@code
 * A-Z a-z 0-9 - . _ ~}) as {@code %XX}. The output has no {@code +}, so a form decoder ({@code
 * URLDecoder}) decodes it exactly as an RFC 3986 percent-decoder does.
 */
final class HttpText {

  /**
   * Header names a message cannot use: the webhook sets them itself ({@code Keelson-*}, {@code
   * Content-Length}, {@code Host}, and the JDK client's own for a connection's set-up), or they
   * frame the request.
   */
  private static final Set<String> RESERVED =
      Set.of(
          "host",
          "content-length",
          "transfer-encoding",
          "connection",
          "keep-alive",
          "proxy-connection",
          "te",
          "trailer",
          "upgrade",
          "expect",
          "http2-settings");

  /** The prefix of the webhook's own headers, all reserved. */
  static final String KEELSON_PREFIX = "keelson-";

  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

  private HttpText() {}

  /**
   * @return whether the name is an HTTP token (RFC 9110 {@code tchar}s)
   */
  static boolean isToken(String name) {
    if (name.isEmpty()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean tchar =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!tchar) {
        return false;
      }
    }
    return true;
  }

  /**
   * @return whether a message may not use the header name (case-insensitive)
   */
  static boolean isReserved(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.startsWith(KEELSON_PREFIX) || RESERVED.contains(lower);
  }

  /**
   * @return whether the value goes as it is: visible ASCII and inner spaces
   */
  static boolean goesAsItIs(String value) {
    int last = value.length() - 1;
    for (int i = 0; i <= last; i++) {
      char c = value.charAt(i);
      boolean visible = c > ' ' && c < 0x7F;
      boolean innerSpace = c == ' ' && i > 0 && i < last;
      if (!visible && !innerSpace) {
        return false;
      }
    }
    return true;
  }

  /**
   * @return the value's UTF-8 bytes, percent-encoded but for unreserved characters
   */
  static String percentEncoded(String value) {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[utf8.length * 3];
    int n = 0;
    for (byte b : utf8) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out[n++] = b;
      } else {
        out[n++] = '%';
        out[n++] = HEX[c >> 4];
        out[n++] = HEX[c & 0xF];
      }
    }
    return new String(out, 0, n, StandardCharsets.US_ASCII);
  }
}
