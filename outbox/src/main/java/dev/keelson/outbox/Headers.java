package dev.keelson.outbox;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Headers in one text column: {@code name=value&name=value}, both URL-encoded. */
final class Headers {

  private Headers() {}

  static String encode(Map<String, String> headers) {
    StringBuilder text = new StringBuilder();
    headers.forEach(
        (name, value) -> {
          if (text.length() > 0) {
            text.append('&');
          }
          text.append(URLEncoder.encode(name, StandardCharsets.UTF_8))
              .append('=')
              .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
        });
    return text.toString();
  }

  /**
   * @throws IllegalArgumentException if the text is not in this form
   */
  static Map<String, String> decode(String text) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (text.isEmpty()) {
      return headers;
    }
    for (String pair : text.split("&", -1)) {
      int equals = pair.indexOf('=');
      if (equals < 0) {
        throw new IllegalArgumentException(
            "headers: " + ErrorText.quoted(pair) + " is no name=value pair");
      }
      headers.put(
          URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
    }
    return headers;
  }
}
