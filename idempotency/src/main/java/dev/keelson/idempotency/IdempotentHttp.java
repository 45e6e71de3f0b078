package dev.keelson.idempotency;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Maps outcomes to HTTP responses the way the IETF {@code Idempotency-Key} draft and Stripe do:
 *
 * <table>
 *   <caption>outcome to response</caption>
 *   <tr><th>outcome</th><th>status</th><th>headers added</th></tr>
 *   <tr><td>executed</td><td>the response's own</td><td>none</td></tr>
 *   <tr><td>replayed</td><td>the stored response's</td><td>{@code Idempotent-Replayed: true}</td></tr>
 *   <tr><td>in progress</td><td>409 Conflict</td><td>{@code Retry-After}</td></tr>
 *   <tr><td>lease lost (this call outlasted its lease)</td><td>409 Conflict</td>
 *       <td>{@code Retry-After: 1}</td></tr>
 *   <tr><td>completed without result</td><td>409 Conflict</td>
 *       <td>none (no {@code Retry-After}: do not retry)</td></tr>
 *   <tr><td>mismatch</td><td>422 Unprocessable Content</td><td>none</td></tr>
 *   <tr><td>no key, or a bad one</td><td>400 Bad Request</td><td>none</td></tr>
 * </table>
 */
public final class IdempotentHttp {

  /** The request header that carries the key. */
  public static final String KEY_HEADER = "Idempotency-Key";

  /** Marks a replayed response, as Stripe does. */
  public static final String REPLAYED_HEADER = "Idempotent-Replayed";

  private IdempotentHttp() {}

  /**
   * @param outcome what {@link Idempotency#execute} returned
   * @return the response to send
   */
  public static StoredResponse respond(Outcome<StoredResponse> outcome) {
    if (outcome instanceof Outcome.Executed<StoredResponse> executed) {
      return executed.result();
    }
    if (outcome instanceof Outcome.Replayed<StoredResponse> replayed) {
      StoredResponse stored = replayed.result();
      Map<String, List<String>> headers = new LinkedHashMap<>(stored.headers());
      headers.put(REPLAYED_HEADER, List.of("true"));
      return new StoredResponse(stored.status(), headers, stored.body());
    }
    if (outcome instanceof Outcome.InProgress<StoredResponse> inProgress) {
      return inProgress(inProgress.retryAfter());
    }
    if (outcome instanceof Outcome.LeaseLost<StoredResponse>) {
      return inProgress(Duration.ofSeconds(1)); // the other execution's result is the one to get
    }
    if (outcome instanceof Outcome.CompletedWithoutResult<StoredResponse>) {
      return problem(
          409,
          Map.of(),
          "a request with this Idempotency-Key was already processed, but its response was not"
              + " kept, so it cannot be replayed; do not retry it");
    }
    return problem(422, Map.of(), "this Idempotency-Key was already used with a different request");
  }

  /**
   * Reads the key from the request's header value, or says what is wrong with it.
   *
   * @param namespace who the request acts for (the authenticated tenant or principal)
   * @param headerValue the {@code Idempotency-Key} header's value, or null when absent
   * @return the key
   * @throws BadKey with the 400 response to send, when the header is missing or invalid
   * @throws IllegalArgumentException if the namespace is invalid
   */
  public static IdempotencyKey key(String namespace, @Nullable String headerValue) {
    IdempotencyKey.checkNamespace(namespace); // the server's own value: a bug, not a 400
    if (headerValue == null || headerValue.isBlank()) {
      throw new BadKey(problem(400, Map.of(), "the Idempotency-Key header is required"));
    }
    try {
      return IdempotencyKey.of(namespace, headerValue.strip());
    } catch (IllegalArgumentException e) {
      throw new BadKey(problem(400, Map.of(), "bad Idempotency-Key: " + e.getMessage()));
    }
  }

  private static StoredResponse inProgress(Duration retryAfter) {
    long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    return problem(
        409,
        Map.of("Retry-After", List.of(Long.toString(seconds))),
        "a request with this Idempotency-Key is being processed; retry later");
  }

  private static StoredResponse problem(
      int status, Map<String, List<String>> headers, String detail) {
    Map<String, List<String>> all = new LinkedHashMap<>(headers);
    all.put("Content-Type", List.of("text/plain; charset=utf-8"));
    return new StoredResponse(status, all, detail.getBytes(StandardCharsets.UTF_8));
  }

  /** A missing or invalid key, with the response to send. */
  public static final class BadKey extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient StoredResponse response;

    BadKey(StoredResponse response) {
      super(new String(response.body(), StandardCharsets.UTF_8));
      this.response = response;
    }

    /**
     * @return the 400 response to send
     */
    public StoredResponse response() {
      return response;
    }
  }
}
