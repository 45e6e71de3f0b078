package dev.keelson.ratelimit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP response headers for a decision: the IETF {@code RateLimit-Policy} and {@code RateLimit}
 * fields (draft-ietf-httpapi-ratelimit-headers, structured-field form), the common {@code
 * X-RateLimit-*} trio, and {@code Retry-After} on a denial. Times are whole seconds, rounded up, so
 * a client that waits that long is never early.
 *
 * <pre>
 * RateLimit-Policy: "tenant";q=100;w=60
 * RateLimit: "tenant";r=0;t=12
 * X-RateLimit-Limit: 100
 * X-RateLimit-Remaining: 0
 * X-RateLimit-Reset: 12
 * Retry-After: 3
 * </pre>
 */
public final class RateLimitHeaders {

  private RateLimitHeaders() {}

  /**
   * @param decision the decision
   * @param limit the rule that made it
   * @return header names and values, in a stable order
   */
  public static Map<String, String> of(Decision decision, RateLimit limit) {
    Map<String, String> headers = new LinkedHashMap<>();
    long windowSeconds = Math.max(1, ceilSeconds(limit.period().toNanos()));
    String policy = "\"" + limit.name() + "\"";
    long reset = ceilSeconds(decision.resetAfterNanos());
    headers.put("RateLimit-Policy", policy + ";q=" + limit.limit() + ";w=" + windowSeconds);
    headers.put("RateLimit", policy + ";r=" + decision.remaining() + ";t=" + reset);
    headers.put("X-RateLimit-Limit", Long.toString(decision.limit()));
    headers.put("X-RateLimit-Remaining", Long.toString(decision.remaining()));
    headers.put("X-RateLimit-Reset", Long.toString(reset));
    if (!decision.allowed()) {
      headers.put(
          "Retry-After", Long.toString(Math.max(1, ceilSeconds(decision.retryAfterNanos()))));
    }
    return headers;
  }

  private static long ceilSeconds(long nanos) {
    return (nanos + 999_999_999L) / 1_000_000_000L;
  }
}
