package dev.keelson.outbox;

import dev.keelson.core.internal.Checks;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Delivers each message as an HTTP {@code POST} of its payload, on the JDK's HttpClient, the
 * messages of a batch in parallel. Headers: the message's own, {@code Content-Type} ({@code
 * application/octet-stream} unless the message sets one), {@code Keelson-Message-Id} (drop
 * redeliveries by it), {@code Keelson-Topic}, {@code Keelson-Key}, {@code Keelson-Timestamp} (Unix
 * seconds; refuse old ones to stop replays), {@code Keelson-Signed-Headers} and {@code
 * Keelson-Signature}.
 *
 * <p><b>Values HTTP cannot carry</b> arrive intact: a value that is not visible ASCII with inner
 * spaces (other Unicode, line breaks, control characters, leading or trailing spaces) is sent
 * percent-encoded (its UTF-8 bytes, each but {@code A-Z a-z 0-9 - . _ ~} as {@code %XX}), and its
 * header's name, lower-case, is listed in {@code Keelson-Encoded-Headers} (comma-separated; absent
 * when none is). The receiver percent-decodes exactly those headers ({@code
 * URLDecoder.decode(value, UTF_8)} does it exactly: the encoding leaves no {@code +}).
 *
 * <p><b>The signature</b>, {@code Keelson-Signature: v3=<hex HMAC-SHA256>} under the shared secret,
 * covers every header the message sends and the body. {@code Keelson-Signed-Headers} lists, lower
 * case, comma-separated and in the order sent, the message's own headers and {@code Content-Type};
 * the MAC is over these header values as received (before decoding), each followed by a line feed
 * ({@code \n}, which no sent value holds): {@code Keelson-Timestamp}, {@code Keelson-Message-Id},
 * {@code Keelson-Topic}, {@code Keelson-Key}, {@code Keelson-Encoded-Headers} (empty when absent),
 * {@code Keelson-Signed-Headers}, then the value of each header it lists, in its order; then the
 * body's bytes. So a changed, added, doubled or dropped header fails the check; a receiver takes no
 * header as the message's that the list does not name, and refuses a signed header sent twice.
 *
 * <p>2xx: delivered. 429 and 5xx: retried, after the receiver's {@code Retry-After} when it sends
 * one. Other statuses: dead letter (the receiver refuses the message). Timeouts and connection
 * failures: retried. An endpoint function that throws for a message, or gives a URI the HTTP client
 * refuses (a scheme other than http or https), has that message retried (a configuration to fix)
 * and the batch's other messages sent. At the relay's deadline ({@link #publish(List, Duration)})
 * the batch is answered with the responses in hand and a retry for each request still open, which
 * is aborted.
 */
public final class WebhookPublisher implements Publisher {

  static final String MESSAGE_ID = "Keelson-Message-Id";
  static final String TOPIC = "Keelson-Topic";
  static final String KEY = "Keelson-Key";
  static final String TIMESTAMP = "Keelson-Timestamp";
  static final String SIGNATURE = "Keelson-Signature";
  static final String ENCODED_HEADERS = "Keelson-Encoded-Headers";
  static final String SIGNED_HEADERS = "Keelson-Signed-Headers";
  private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

  /** The error of a message whose request had no response by the deadline. */
  static final String NO_ANSWER = "no response before the deadline";

  private final HttpClient client;
  private final Function<OutboxMessage, URI> endpoint;
  private final SecretKeySpec secret;
  private final Duration timeout;
  private final Clock clock;

  private WebhookPublisher(Builder builder) {
    this.client = builder.client;
    this.endpoint = builder.endpoint;
    this.secret = builder.secret;
    this.timeout = builder.timeout;
    this.clock = builder.clock;
  }

  /**
   * @param endpoint where each message goes (by its topic, say); if it throws for a message, or
   *     gives a URI the HTTP client refuses, that message is retried
   * @param secret the shared signing secret, at least 32 bytes
   * @return a builder
   */
  public static Builder builder(Function<OutboxMessage, URI> endpoint, byte[] secret) {
    return new Builder(endpoint, secret);
  }

  /**
   * Sends the batch's requests in parallel, each bounded by the request timeout. Cancelling the
   * returned future aborts every request still in flight.
   */
  @Override
  public CompletionStage<List<PublishResult>> publish(List<OutboxMessage> batch) {
    return send(batch, null);
  }

  /**
   * Sends the batch's requests in parallel and answers by the deadline at the latest: with the
   * results in hand, and {@code retry} for each request still without a response, which is aborted.
   * Cancelling the returned future aborts every request still in flight.
   */
  @Override
  public CompletionStage<List<PublishResult>> publish(
      List<OutboxMessage> batch, Duration timeLeft) {
    return send(batch, Objects.requireNonNull(timeLeft, "timeLeft"));
  }

  private CompletableFuture<List<PublishResult>> send(
      List<OutboxMessage> batch, @Nullable Duration timeLeft) {
    List<CompletableFuture<PublishResult>> sends = new ArrayList<>(batch.size());
    for (OutboxMessage message : batch) {
      HttpRequest request;
      try {
        request = request(message);
      } catch (VirtualMachineError e) {
        throw e;
      } catch (Throwable e) { // the endpoint function's, or a URI the client refuses: config to fix
        sends.add(
            CompletableFuture.completedFuture(
                PublishResult.retry("cannot build the request: " + e, null)));
        continue;
      }
      CompletableFuture<HttpResponse<Void>> exchange =
          client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
      CompletableFuture<PublishResult> sent =
          exchange.handle(
              (response, failure) ->
                  failure != null
                      ? PublishResult.retry("HTTP request failed: " + failure, null)
                      : result(response));
      // Answered without its response (the deadline, a cancel): the exchange is aborted.
      sent.whenComplete((result, failure) -> exchange.cancel(true));
      sends.add(sent);
    }
    return BatchAnswer.of(sends, timeLeft, () -> NO_ANSWER);
  }

  private HttpRequest request(OutboxMessage message) {
    byte[] body = message.payload();
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint.apply(message))
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    List<String> encoded = new ArrayList<>();
    List<String> signedNames = new ArrayList<>(message.headers().size() + 1);
    List<String> signedValues = new ArrayList<>(message.headers().size() + 1);
    boolean hasContentType = false;
    for (Map.Entry<String, String> header : message.headers().entrySet()) {
      String name = header.getKey();
      String value = sent(name, header.getValue(), encoded);
      request.header(name, value);
      signedNames.add(name.toLowerCase(Locale.ROOT));
      signedValues.add(value);
      hasContentType |= name.equalsIgnoreCase("content-type");
    }
    if (!hasContentType) {
      request.header("Content-Type", DEFAULT_CONTENT_TYPE);
      signedNames.add("content-type");
      signedValues.add(DEFAULT_CONTENT_TYPE);
    }
    String topic = sent(TOPIC, message.topic(), encoded);
    String key = sent(KEY, message.key(), encoded);
    String encodedHeaders = String.join(", ", encoded);
    if (!encoded.isEmpty()) {
      request.header(ENCODED_HEADERS, encodedHeaders);
    }
    String signedHeaders = String.join(", ", signedNames);
    String id = message.id().toString();
    List<String> lines = new ArrayList<>(6 + signedValues.size());
    lines.addAll(List.of(timestamp, id, topic, key, encodedHeaders, signedHeaders));
    lines.addAll(signedValues);
    return request
        .header(MESSAGE_ID, id)
        .header(TOPIC, topic)
        .header(KEY, key)
        .header(TIMESTAMP, timestamp)
        .header(SIGNED_HEADERS, signedHeaders)
        .header(SIGNATURE, "v3=" + sign(lines, body))
        .build();
  }

  /** A header's value as sent; the header's name, lower-case, joins the encoded if it was. */
  private static String sent(String name, String value, List<String> encoded) {
    if (HttpText.goesAsItIs(value)) {
      return value;
    }
    encoded.add(name.toLowerCase(Locale.ROOT));
    return HttpText.percentEncoded(value);
  }

  /**
   * The signature a receiver recomputes to check a delivery: hex HMAC-SHA256 of the header values
   * as sent, each followed by a line feed (none of them can hold one), then the body.
   *
   * @param lines timestamp, message id, topic, key, encoded headers, signed headers and the value
   *     of each signed header, as sent
   * @param body the request body
   * @return the signature's hex digits
   */
  String sign(List<String> lines, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(secret);
      for (String line : lines) {
        mac.update(line.getBytes(StandardCharsets.US_ASCII));
        mac.update((byte) '\n');
      }
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has HmacSHA256", e);
    }
  }

  private PublishResult result(HttpResponse<Void> response) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      return PublishResult.delivered();
    }
    String error = "HTTP " + status + " from " + response.uri();
    if (status == 429 || status >= 500) {
      return PublishResult.retry(
          error, retryAfter(response.headers().firstValue("Retry-After").orElse(null)));
    }
    return PublishResult.reject(error);
  }

  /**
   * {@code Retry-After} as delay-seconds or an HTTP date; null when absent or unreadable. Seconds
   * too many for a {@code long} saturate; the relay caps every hint at its {@code maxRetryAfter}.
   */
  private @Nullable Duration retryAfter(@Nullable String value) {
    if (value == null) {
      return null;
    }
    String text = value.strip();
    if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      try {
        return Duration.ofSeconds(Long.parseLong(text));
      } catch (NumberFormatException tooManyDigits) {
        return Duration.ofSeconds(Long.MAX_VALUE);
      }
    }
    try {
      ZonedDateTime when = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration left = Duration.between(clock.instant(), when.toInstant());
      return left.isNegative() ? Duration.ZERO : left;
    } catch (DateTimeParseException notADate) {
      return null;
    }
  }

  /** Settings of a {@link WebhookPublisher}. */
  public static final class Builder {
    private final Function<OutboxMessage, URI> endpoint;
    private final SecretKeySpec secret;
    private HttpClient client;
    private Duration timeout = Duration.ofSeconds(10);
    private Clock clock = Clock.systemUTC();

    private Builder(Function<OutboxMessage, URI> endpoint, byte[] secret) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(secret, "secret");
      if (secret.length < 32) {
        throw new IllegalArgumentException(
            "secret: " + secret.length + " bytes is too short for HMAC-SHA256; use at least 32");
      }
      this.secret = new SecretKeySpec(secret.clone(), "HmacSHA256");
      this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * @param timeout for each request, from sending to the response's status (default 10 s; 1 ms to
     *     1 hour, and shorter than the relay's claim time)
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Checks.between("timeout", timeout, Duration.ofMillis(1), Duration.ofHours(1));
      return this;
    }

    /**
     * @param client the HTTP client (default: a new one with a 5 s connect timeout)
     * @return this builder
     */
    public Builder client(HttpClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * @param clock for the timestamp header (default the system clock)
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public WebhookPublisher build() {
      return new WebhookPublisher(this);
    }
  }
}
