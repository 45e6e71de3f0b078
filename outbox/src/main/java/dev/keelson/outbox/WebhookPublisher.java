package dev.keelson.outbox;

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
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Delivers each message as an HTTP {@code POST} of its payload, on the JDK's HttpClient, the
 * messages of a batch in parallel. The receiver can check where a message comes from: {@code
 * Keelson-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<message id>.<body>">} under a shared
 * secret, with {@code Keelson-Timestamp} (Unix seconds; refuse old ones to stop replays), {@code
 * Keelson-Message-Id} (drop redeliveries by it), {@code Keelson-Topic} and {@code Keelson-Key}. The
 * message's headers are sent too.
 *
 * <p>2xx: delivered. 429 and 5xx: retried, after the receiver's {@code Retry-After} when it sends
 * one. Other statuses: dead letter (the receiver refuses the message). Timeouts and connection
 * failures: retried.
 */
public final class WebhookPublisher implements Publisher {

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
   * @param endpoint where each message goes (by its topic, say)
   * @param secret the shared signing secret, at least 32 bytes
   * @return a builder
   */
  public static Builder builder(Function<OutboxMessage, URI> endpoint, byte[] secret) {
    return new Builder(endpoint, secret);
  }

  @Override
  public CompletionStage<List<PublishResult>> publish(List<OutboxMessage> batch) {
    List<CompletableFuture<PublishResult>> sends = new ArrayList<>(batch.size());
    for (OutboxMessage message : batch) {
      sends.add(send(message));
    }
    return CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))
        .thenApply(done -> sends.stream().map(CompletableFuture::join).toList());
  }

  private CompletableFuture<PublishResult> send(OutboxMessage message) {
    HttpRequest request;
    try {
      request = request(message);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(
          PublishResult.reject("cannot build the request: " + e.getMessage()));
    }
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle(
            (response, failure) ->
                failure != null
                    ? PublishResult.retry("HTTP request failed: " + failure, null)
                    : result(response));
  }

  private HttpRequest request(OutboxMessage message) {
    byte[] body = message.payload();
    String timestamp = Long.toString(clock.instant().getEpochSecond());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint.apply(message))
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    message.headers().forEach(request::header);
    if (message.headers().keySet().stream().noneMatch("content-type"::equalsIgnoreCase)) {
      request.header("Content-Type", "application/octet-stream");
    }
    return request
        .header("Keelson-Message-Id", message.id().toString())
        .header("Keelson-Topic", message.topic())
        .header("Keelson-Key", message.key())
        .header("Keelson-Timestamp", timestamp)
        .header("Keelson-Signature", "v1=" + sign(timestamp, message, body))
        .build();
  }

  /**
   * The signature a receiver recomputes to check a delivery.
   *
   * @param timestamp the {@code Keelson-Timestamp} header
   * @param message the message (its id)
   * @param body the request body
   * @return hex HMAC-SHA256 of {@code <timestamp>.<id>.<body>}
   */
  String sign(String timestamp, OutboxMessage message, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(secret);
      mac.update((timestamp + "." + message.id() + ".").getBytes(StandardCharsets.UTF_8));
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
     * @param timeout for each request, from sending to the response's status (default 10 s)
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout: " + timeout + " must be positive");
      }
      this.timeout = timeout;
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
