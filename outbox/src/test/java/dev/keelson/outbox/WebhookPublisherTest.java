package dev.keelson.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.keelson.testing.H2Database;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook publisher against a real HTTP server on a loopback port. */
class WebhookPublisherTest {

  private static final byte[] SECRET =
      "a shared secret of at least 32 bytes".getBytes(StandardCharsets.UTF_8);

  private final Map<String, Received> received = new ConcurrentHashMap<>();
  private final HttpServer server;

  /** What the receiver saw. */
  private record Received(Map<String, List<String>> headers, byte[] body) {}

  WebhookPublisherTest() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          received.put(
              path,
              new Received(exchange.getRequestHeaders(), exchange.getRequestBody().readAllBytes()));
          switch (path) {
            case "/ok" -> exchange.sendResponseHeaders(204, -1);
            case "/busy" -> {
              exchange.getResponseHeaders().add("Retry-After", "7");
              exchange.sendResponseHeaders(503, -1);
            }
            case "/throttled" -> {
              exchange.getResponseHeaders().add("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT");
              exchange.sendResponseHeaders(429, -1);
            }
            case "/broken" -> exchange.sendResponseHeaders(500, -1);
            case "/forever" -> {
              exchange.getResponseHeaders().add("Retry-After", "99999999999999999999");
              exchange.sendResponseHeaders(503, -1);
            }
            case "/slow" -> {
              sleep(Duration.ofSeconds(2));
              exchange.sendResponseHeaders(200, -1);
            }
            default -> exchange.sendResponseHeaders(400, -1);
          }
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private WebhookPublisher publisherTo(String path) {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    return WebhookPublisher.builder(message -> uri, SECRET).timeout(Duration.ofMillis(500)).build();
  }

  private static PublishResult publishOne(WebhookPublisher publisher, OutboxMessage message) {
    return publisher.publish(List.of(message)).toCompletableFuture().join().get(0);
  }

  private static OutboxMessage message() {
    return OutboxMessage.of("payments", "order-7", "{\"paid\":10}".getBytes(StandardCharsets.UTF_8))
        .withHeader("Content-Type", "application/json");
  }

  @Test
  void a2xxIsDeliveredSignedWithEverythingTheReceiverNeeds() throws Exception {
    OutboxMessage message = message();

    assertThat(publishOne(publisherTo("/ok"), message)).isEqualTo(PublishResult.delivered());

    Received request = received.get("/ok");
    assertThat(request.body()).isEqualTo(message.payload());
    assertThat(request.headers().get("Keelson-message-id"))
        .containsExactly(message.id().toString());
    assertThat(request.headers().get("Keelson-topic")).containsExactly("payments");
    assertThat(request.headers().get("Keelson-key")).containsExactly("order-7");
    assertThat(request.headers().get("Content-type")).containsExactly("application/json");
    String timestamp = request.headers().get("Keelson-timestamp").get(0);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
    mac.update((timestamp + "." + message.id() + ".").getBytes(StandardCharsets.UTF_8));
    String expected = java.util.HexFormat.of().formatHex(mac.doFinal(request.body()));
    assertThat(request.headers().get("Keelson-signature")).containsExactly("v1=" + expected);
  }

  @Test
  void a429Or5xxIsRetriedHonouringRetryAfter() {
    assertThat(publishOne(publisherTo("/busy"), message()))
        .isEqualTo(
            PublishResult.retry(
                "HTTP 503 from http://127.0.0.1:" + server.getAddress().getPort() + "/busy",
                Duration.ofSeconds(7)));
    assertThat(publishOne(publisherTo("/throttled"), message()))
        .as("a date in the past means now")
        .isInstanceOfSatisfying(
            PublishResult.Retry.class, r -> assertThat(r.retryAfter()).isEqualTo(Duration.ZERO));
    assertThat(publishOne(publisherTo("/broken"), message()))
        .isInstanceOfSatisfying(
            PublishResult.Retry.class, r -> assertThat(r.retryAfter()).isNull());
  }

  @Test
  void aRetryAfterTooLargeForALongSaturates() {
    assertThat(publishOne(publisherTo("/forever"), message()))
        .isInstanceOfSatisfying(
            PublishResult.Retry.class,
            r -> assertThat(r.retryAfter()).isEqualTo(Duration.ofSeconds(Long.MAX_VALUE)));
  }

  @Test
  void aHugeRetryAfterIsRetriedAtTheRelaysCap() throws SQLException {
    DataSource database = H2Database.newInMemory();
    Outbox outbox = Outbox.onDefaultTable();
    outbox.createSchema(database);
    try (Connection connection = database.getConnection()) {
      outbox.append(connection, message());
    }
    List<Duration> delays = new CopyOnWriteArrayList<>();
    OutboxRelay relay =
        OutboxRelay.builder(database, outbox, publisherTo("/forever"))
            .maxRetryAfter(Duration.ofSeconds(30))
            .listener(
                new OutboxListener() {
                  @Override
                  public void onRetryScheduled(
                      OutboxMessage message, int attempts, String error, Duration delay) {
                    delays.add(delay);
                  }
                })
            .build();

    assertThat(relay.runOnce()).isEqualTo(1);

    assertThat(delays).containsExactly(Duration.ofSeconds(30));
    assertThat(relay.backlog().pending()).isEqualTo(1);
  }

  @Test
  void anyOther4xxIsADeadLetter() {
    assertThat(publishOne(publisherTo("/refused"), message()))
        .isInstanceOfSatisfying(
            PublishResult.Reject.class, r -> assertThat(r.error()).startsWith("HTTP 400"));
  }

  @Test
  void aTimeoutOrARefusedConnectionIsRetried() {
    assertThat(publishOne(publisherTo("/slow"), message())).isInstanceOf(PublishResult.Retry.class);
    server.stop(0);
    assertThat(publishOne(publisherTo("/ok"), message())).isInstanceOf(PublishResult.Retry.class);
  }

  @Test
  void aShortSecretIsRejected() {
    assertThatThrownBy(() -> WebhookPublisher.builder(m -> URI.create("http://x"), new byte[8]))
        .hasMessageStartingWith("secret: 8 bytes is too short");
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
