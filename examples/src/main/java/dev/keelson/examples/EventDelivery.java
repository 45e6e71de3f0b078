package dev.keelson.examples;

import com.sun.net.httpserver.HttpServer;
import dev.keelson.outbox.Outbox;
import dev.keelson.outbox.OutboxMessage;
import dev.keelson.outbox.OutboxRelay;
import dev.keelson.outbox.PublishResult;
import dev.keelson.outbox.Publisher;
import dev.keelson.retry.Backoff;
import dev.keelson.retry.RatioRetryBudget;
import dev.keelson.retry.Retry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * Events leave through the outbox relay to a webhook receiver that fails a third of the time. Each
 * delivery goes through a {@link Retry}: a few quick jittered attempts under a retry budget, so a
 * receiver that is down does not get a storm; what the retries cannot deliver, the relay tries
 * again later (its own backoff), so no event is lost.
 */
final class EventDelivery implements AutoCloseable {

  /** One event as the receiver got it: its key and type, in arrival order. */
  record Received(String key, String type) {}

  final List<Received> received = new ArrayList<>();
  private final HttpServer receiver;
  private final OutboxRelay relay;

  EventDelivery(DataSource database, Outbox outbox, Metrics metrics) {
    this.receiver = flakyReceiver();
    URI endpoint = URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/events");
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Retry retry =
        Retry.builder()
            .name("webhook")
            .maxAttempts(3)
            // Jitter spreads the retries of many events; the budget caps them at 20% of
            // deliveries, so an outage adds at most a fifth to the receiver's load.
            .backoff(Backoff.fullJitter(Duration.ofMillis(5), Duration.ofMillis(50)))
            .budget(RatioRetryBudget.builder().ratio(0.2).minRetriesPerSecond(5).build())
            .retryIfResult(HttpResponse.class, response -> response.statusCode() >= 500)
            .listener(metrics.retry) // retries and budget refusals, counted by name
            .build();
    Publisher webhook = Publisher.eachBlocking(message -> deliver(http, retry, endpoint, message));
    this.relay =
        OutboxRelay.builder(database, outbox, webhook)
            .listener(metrics.outbox)
            .backoff(Backoff.fullJitter(Duration.ofMillis(50), Duration.ofMillis(500)))
            .pollInterval(Duration.ofMillis(200))
            .build();
    relay.start();
  }

  private static PublishResult deliver(
      HttpClient http, Retry retry, URI endpoint, OutboxMessage message) {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(2))
            .header("Event-Type", message.headers().get("Event-Type"))
            .header("Event-Key", message.key())
            .POST(HttpRequest.BodyPublishers.ofByteArray(message.payload()))
            .build();
    try {
      HttpResponse<Void> response =
          retry.call(() -> http.send(request, HttpResponse.BodyHandlers.discarding()));
      return response.statusCode() < 300
          ? PublishResult.delivered()
          : PublishResult.retry("HTTP " + response.statusCode(), null);
    } catch (Exception e) { // the last failure once the retries stopped; the relay tries later

      return PublishResult.retry(e.toString(), null);
    }
  }

  /** The receiver: 503 a third of the time, else it records the event. */
  private HttpServer flakyReceiver() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      server.createContext(
          "/events",
          exchange -> {
            try (exchange) {
              exchange.getRequestBody().readAllBytes();
              if (ThreadLocalRandom.current().nextInt(3) == 0) {
                exchange.sendResponseHeaders(503, -1);
                return;
              }
              synchronized (received) {
                received.add(
                    new Received(
                        exchange.getRequestHeaders().getFirst("Event-Key"),
                        exchange.getRequestHeaders().getFirst("Event-Type")));
              }
              exchange.sendResponseHeaders(204, -1);
            }
          });
      server.start();
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the receiver's port", e);
    }
  }

  List<Received> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  long pending() {
    return relay.backlog().pending();
  }

  @Override
  public void close() {
    relay.close();
    receiver.stop(0);
  }
}
