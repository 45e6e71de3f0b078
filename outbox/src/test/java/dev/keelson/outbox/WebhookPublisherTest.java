package dev.keelson.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.keelson.testing.H2Database;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
  private final CountDownLatch hanging = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);
  private final CompletableFuture<Boolean> aborted = new CompletableFuture<>();
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
            case "/hang" -> {
              hanging.countDown();
              await(release);
              aborted.complete(!answersInFull(exchange));
            }
            case "/slow" -> {
              sleep(Duration.ofSeconds(2));
              exchange.sendResponseHeaders(200, -1);
            }
            default -> exchange.sendResponseHeaders(400, -1);
          }
          exchange.close();
        });
    server.setExecutor(Executors.newCachedThreadPool()); // a hanging request holds up no other
    server.start();
  }

  @AfterEach
  void stop() {
    release.countDown();
    server.stop(0);
  }

  /**
   * Answers with a body far larger than socket buffers: whether the client took it all (false if it
   * has closed the connection).
   */
  private static boolean answersInFull(HttpExchange exchange) {
    try (OutputStream body = exchange.getResponseBody()) {
      exchange.sendResponseHeaders(200, 0);
      byte[] chunk = new byte[64 * 1024];
      for (int i = 0; i < 256; i++) {
        body.write(chunk);
      }
      body.flush();
      return true;
    } catch (IOException closedByTheClient) {
      return false;
    }
  }

  @Test
  void cancellingAPublishAbortsItsRequests() throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hang");
    WebhookPublisher publisher =
        WebhookPublisher.builder(message -> uri, SECRET).timeout(Duration.ofMinutes(1)).build();
    CompletableFuture<List<PublishResult>> publishing =
        publisher.publish(List.of(message())).toCompletableFuture();
    assertThat(hanging.await(10, TimeUnit.SECONDS)).as("the request arrived").isTrue();

    publishing.cancel(true);
    release.countDown();

    assertThat(aborted.get(10, TimeUnit.SECONDS)).as("the request was aborted").isTrue();
  }

  @Test
  void aBatchAnsweredAtItsDeadlineKeepsWhatWasDelivered() throws Exception {
    Outbox outbox = Outbox.withDefaults();
    DataSource database =
        h2With(
            outbox,
            OutboxMessage.of("orders", "ok", new byte[] {1}),
            OutboxMessage.of("orders", "hang", new byte[] {2}));
    String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    WebhookPublisher byKey =
        WebhookPublisher.builder(message -> URI.create(base + message.key()), SECRET)
            .timeout(Duration.ofMinutes(1))
            .build();
    OutboxRelay relay =
        OutboxRelay.builder(database, outbox, byKey).claimTime(Duration.ofMillis(500)).build();

    assertThat(relay.runOnce()).isEqualTo(2);

    assertThat(relay.backlog().pending())
        .as("the delivered message is recorded; only the unanswered one is tried again")
        .isEqualTo(1);
    release.countDown();
    assertThat(aborted.get(10, TimeUnit.SECONDS)).as("the unanswered request is aborted").isTrue();
  }

  /** A new H2 database with the outbox's table, these messages appended. */
  private static DataSource h2With(Outbox outbox, OutboxMessage... messages) throws SQLException {
    DataSource database = H2Database.newInMemory();
    outbox.createSchema(database);
    try (Connection connection = database.getConnection()) {
      outbox.appendAll(connection, List.of(messages));
    }
    return database;
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
  void a2xxIsDeliveredSignedWithEverythingTheReceiverNeeds() {
    OutboxMessage message = message();

    assertThat(publishOne(publisherTo("/ok"), message)).isEqualTo(PublishResult.delivered());

    Received request = received.get("/ok");
    assertThat(request.body()).isEqualTo(message.payload());
    assertThat(request.headers().get("Keelson-message-id"))
        .containsExactly(message.id().toString());
    assertThat(request.headers().get("Keelson-topic")).containsExactly("payments");
    assertThat(request.headers().get("Keelson-key")).containsExactly("order-7");
    assertThat(request.headers().get("Content-type")).containsExactly("application/json");
    assertThat(request.headers())
        .as("nothing needed encoding")
        .doesNotContainKey("Keelson-encoded-headers");
    assertThat(request.headers().get("Keelson-signature").get(0)).startsWith("v3=");
    assertThat(verifies(headersOf(request), request.body())).isTrue();
  }

  /** Text that HTTP header values cannot carry as it is, or that HTTP stacks would change. */
  private static final List<String> HOSTILE =
      List.of(
          "Zürich",
          "東京",
          "emoji 😀",
          "line\r\nbreak",
          "\ttab",
          " padded ",
          " ",
          "100%+sure",
          "%41 is not A",
          "a,b;c=\"d\"",
          "del\u007f",
          "bell\u0007");

  @Test
  void everyTopicKeyAndHeaderArrivesIntact() {
    WebhookPublisher publisher = publisherTo("/ok");
    for (String text : HOSTILE) {
      OutboxMessage message =
          OutboxMessage.of(text, text, new byte[] {1}).withHeader("X-Value", text);

      assertThat(publishOne(publisher, message)).as(text).isEqualTo(PublishResult.delivered());

      Received request = received.get("/ok");
      assertThat(decoded(headersOf(request), "Keelson-Topic")).as("topic").isEqualTo(text);
      assertThat(decoded(headersOf(request), "Keelson-Key")).as("key").isEqualTo(text);
      assertThat(decoded(headersOf(request), "X-Value")).as("header").isEqualTo(text);
      assertThat(verifies(headersOf(request), request.body())).as("signed").isTrue();
    }
    for (String headerOnly : List.of("", "nul\u0000")) {
      OutboxMessage message =
          OutboxMessage.of("t", "k", new byte[0]).withHeader("X-Value", headerOnly);
      assertThat(publishOne(publisher, message)).isEqualTo(PublishResult.delivered());
      assertThat(decoded(headersOf(received.get("/ok")), "X-Value")).isEqualTo(headerOnly);
    }
  }

  @Test
  void everyMessageAcceptedFitsAReceiversDefaultHeaderLimit() {
    // The largest of each shape that a message accepts: topic and key of CJK text, each three
    // bytes and nine characters when percent-encoded; then one long header; then many short ones.
    int cjk = largest(n -> OutboxMessage.of("東".repeat(n), "京".repeat(n), new byte[0]), 255);
    OutboxMessage longest = OutboxMessage.of("東".repeat(cjk), "京".repeat(cjk), new byte[0]);
    OutboxMessage ascii = OutboxMessage.of("t".repeat(255), "k".repeat(255), new byte[0]);
    List<OutboxMessage> largest =
        List.of(
            withLongest(longest, "X-Value", "é"),
            withLongest(ascii, "X-Value", "a"),
            withMost(ascii),
            withLongest(ascii, "type", "東"));
    WebhookPublisher publisher = publisherTo("/ok");
    for (OutboxMessage message : largest) {
      assertThat(publishOne(publisher, message)).isEqualTo(PublishResult.delivered());

      int requestLine = "POST /ok HTTP/1.1\r\n".length();
      assertThat(requestLine + headerBlock(received.get("/ok")))
          .as("the request's head, for Tomcat's and Spring Boot's default 8 KiB")
          .isLessThanOrEqualTo(8192);
    }
  }

  /** The largest n, up to max, for which the message can be made; -1 if none. */
  private static int largest(java.util.function.IntFunction<OutboxMessage> make, int max) {
    int low = -1; // made
    int high = max + 1; // refused
    while (high - low > 1) {
      int n = (low + high) >>> 1;
      try {
        make.apply(n);
        low = n;
      } catch (IllegalArgumentException refused) {
        high = n;
      }
    }
    return low;
  }

  private static OutboxMessage withLongest(OutboxMessage message, String name, String unit) {
    int n = largest(i -> message.withHeader(name, unit.repeat(i)), 100_000);
    return n < 0 ? message : message.withHeader(name, unit.repeat(n));
  }

  private static OutboxMessage withMost(OutboxMessage message) {
    OutboxMessage most = message;
    for (int i = 0; ; i++) {
      try {
        most = most.withHeader("X" + i, "");
      } catch (IllegalArgumentException full) {
        return most;
      }
    }
  }

  /** The request's header lines as received, each with its CRLF, and the blank line after. */
  private static int headerBlock(Received request) {
    int length = 2;
    for (Map.Entry<String, List<String>> header : request.headers().entrySet()) {
      for (String value : header.getValue()) {
        length += header.getKey().length() + 2 + value.length() + 2;
      }
    }
    return length;
  }

  @Test
  void aKeyHttpCannotCarryIsDeliveredByTheRelayNotBuried() throws SQLException {
    Outbox outbox = Outbox.withDefaults();
    DataSource database =
        h2With(
            outbox,
            OutboxMessage.of("orders", "東京\n7", new byte[] {1}),
            OutboxMessage.of("orders", "東京\n7", new byte[] {2}));
    OutboxRelay relay = OutboxRelay.builder(database, outbox, publisherTo("/ok")).build();

    assertThat(relay.runOnce()).isEqualTo(1);
    assertThat(relay.runOnce()).as("the key moves on").isEqualTo(1);

    assertThat(relay.backlog()).isEqualTo(new Backlog(0, Duration.ZERO, 0));
    assertThat(decoded(headersOf(received.get("/ok")), "Keelson-Key")).isEqualTo("東京\n7");
  }

  @Test
  void theSignatureCoversEveryHeaderSentAndTheBody() {
    OutboxMessage message =
        OutboxMessage.of("payments", "Zürich", new byte[] {1, 2, 3})
            .withHeader("Content-Type", "application/json")
            .withHeader("type", "order-created")
            .withHeader("X-Note", "grüße");
    assertThat(publishOne(publisherTo("/ok"), message)).isEqualTo(PublishResult.delivered());
    Map<String, List<String>> sent = new HashMap<>();
    received
        .get("/ok")
        .headers()
        .forEach((name, values) -> sent.put(name.toLowerCase(Locale.ROOT), values));
    byte[] body = received.get("/ok").body();
    assertThat(verifies(headersOf(sent), body)).isTrue();
    assertThat(sent.get("keelson-signed-headers")).containsExactly("content-type, type, x-note");

    for (String name : sent.keySet()) {
      if (!name.startsWith("keelson-")
          && !List.of("content-type", "type", "x-note").contains(name)) {
        continue; // the HTTP client's own (Host, User-Agent, ...): not the message's
      }
      String value = sent.get(name).get(0);
      assertThat(verifies(headersOf(with(sent, name, List.of(value + "x"))), body))
          .as("changed %s", name)
          .isFalse();
      assertThat(verifies(headersOf(with(sent, name, List.of(value, "forged"))), body))
          .as("%s sent twice", name)
          .isFalse();
      assertThat(verifies(headersOf(with(sent, name, List.of())), body))
          .as("%s removed", name)
          .isFalse();
    }
    assertThat(verifies(headersOf(sent), new byte[] {1, 2, 4})).as("changed body").isFalse();
    assertThat(verifies(headersOf(with(sent, "keelson-encoded-headers", List.of("x-note"))), body))
        .as("a list of encoded headers added")
        .isFalse();
  }

  private static Map<String, List<String>> with(
      Map<String, List<String>> headers, String name, List<String> values) {
    Map<String, List<String>> changed = new HashMap<>(headers);
    changed.put(name, values);
    return changed;
  }

  /** Every value of a header by its name in any case, none when absent. */
  private static Function<String, List<String>> headersOf(Map<String, List<String>> lowerCase) {
    return name -> lowerCase.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  /** The receiver's headers as the README's code reads them: every value, none when absent. */
  private static Function<String, List<String>> headersOf(Received request) {
    return name -> request.headers().getOrDefault(name, List.of());
  }

  /**
   * A receiver's check of a delivery, as the README shows it: HMAC-SHA256 under the shared secret
   * of Keelson's header values and then those of the headers Keelson-Signed-Headers lists, as
   * received, each followed by a line feed, then the body. Each of them must be there once (the
   * list of encoded headers may be absent).
   */
  private static boolean verifies(Function<String, List<String>> headers, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
      List<String> signed = headers.apply("Keelson-Signed-Headers");
      if (signed.size() != 1) {
        return false;
      }
      List<String> names =
          new ArrayList<>(
              List.of(
                  "Keelson-Timestamp",
                  "Keelson-Message-Id",
                  "Keelson-Topic",
                  "Keelson-Key",
                  "Keelson-Encoded-Headers",
                  "Keelson-Signed-Headers"));
      for (String name : signed.get(0).split(",")) {
        names.add(name.strip());
      }
      for (String name : names) {
        List<String> values = headers.apply(name);
        boolean mayBeAbsent = name.equals("Keelson-Encoded-Headers");
        if (values.size() > 1 || (values.isEmpty() && !mayBeAbsent)) {
          return false;
        }
        mac.update(
            ((values.isEmpty() ? "" : values.get(0)) + "\n").getBytes(StandardCharsets.US_ASCII));
      }
      List<String> given = headers.apply("Keelson-Signature");
      return given.size() == 1
          && given.get(0).startsWith("v3=")
          && given.get(0).length() == 67
          && MessageDigest.isEqual(
              mac.doFinal(body), HexFormat.of().parseHex(given.get(0).substring(3)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A receiver's reading of a header, as the README shows it: decoded if listed as encoded. */
  private static String decoded(Function<String, List<String>> headers, String name) {
    List<String> listed = headers.apply("Keelson-Encoded-Headers");
    Set<String> encoded = new HashSet<>();
    if (!listed.isEmpty()) {
      for (String header : listed.get(0).split(",")) {
        encoded.add(header.strip());
      }
    }
    String value = headers.apply(name).get(0);
    return encoded.contains(name.toLowerCase(Locale.ROOT))
        ? URLDecoder.decode(value, StandardCharsets.UTF_8)
        : value;
  }

  @Test
  void anEndpointThatFailsForOneMessageHasItRetriedAndTheOthersSent() {
    URI ok = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ok");
    WebhookPublisher publisher =
        WebhookPublisher.builder(
                message ->
                    switch (message.key()) {
                      case "unconfigured" -> throw new IllegalStateException("no endpoint yet");
                      case "misconfigured" -> URI.create("ftp://billing/hooks");
                      default -> ok;
                    },
                SECRET)
            .build();
    List<OutboxMessage> batch =
        List.of(
            OutboxMessage.of("t", "first", new byte[0]),
            OutboxMessage.of("t", "unconfigured", new byte[0]),
            OutboxMessage.of("t", "misconfigured", new byte[0]));

    List<PublishResult> results = publisher.publish(batch).toCompletableFuture().join();

    assertThat(results.get(0)).as("sent, and its answer kept").isEqualTo(PublishResult.delivered());
    assertThat(results.subList(1, 3))
        .as("a configuration to fix: retried, not dead")
        .allSatisfy(
            r ->
                assertThat(r)
                    .isInstanceOfSatisfying(
                        PublishResult.Retry.class,
                        retry ->
                            assertThat(retry.error()).startsWith("cannot build the request: ")));
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
    Outbox outbox = Outbox.withDefaults();
    DataSource database = h2With(outbox, message());
    List<Duration> delays = new CopyOnWriteArrayList<>();
    OutboxRelay relay =
        OutboxRelay.builder(database, outbox, publisherTo("/forever"))
            .maxRetryAfter(Duration.ofSeconds(30))
            .listener(OutboxContract.delaysInto(delays))
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
  void aShortSecretOrAnUnboundedTimeoutIsRejected() {
    assertThatThrownBy(() -> WebhookPublisher.builder(m -> URI.create("http://x"), new byte[8]))
        .hasMessageStartingWith("secret: 8 bytes is too short");
    assertThatThrownBy(
            () ->
                WebhookPublisher.builder(m -> URI.create("http://x"), SECRET)
                    .timeout(Duration.ofSeconds(Long.MAX_VALUE)))
        .hasMessageStartingWith("timeout: PT2562047788015215H30M7S is not in PT0.001S..PT1H");
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
