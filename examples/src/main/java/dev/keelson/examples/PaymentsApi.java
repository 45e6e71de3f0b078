package dev.keelson.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.keelson.idempotency.Fingerprint;
import dev.keelson.idempotency.Idempotency;
import dev.keelson.idempotency.IdempotencyKey;
import dev.keelson.idempotency.IdempotentHttp;
import dev.keelson.idempotency.StoredResponse;
import dev.keelson.leasing.jdbc.JdbcTaskQueue;
import dev.keelson.outbox.Outbox;
import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.RateLimit;
import dev.keelson.ratelimit.RateLimitHeaders;
import dev.keelson.ratelimit.redis.RedisRateLimitHierarchy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;

/**
 * The HTTP API. {@code POST /payments} (headers {@code X-Tenant}, which a real service takes from
 * authentication, and {@code Idempotency-Key}; body: the amount in cents) is rate-limited per
 * tenant and endpoint under a global limit, executed once per key, and writes the payment, its
 * event and its settlement task in one transaction. {@code GET /payments/{id}} reads it back.
 */
final class PaymentsApi implements AutoCloseable {

  private final DataSource database;
  private final RedisRateLimitHierarchy limits;
  private final List<RateLimit> levels;
  private final Idempotency<StoredResponse> idempotency;
  private final Outbox outbox;
  private final JdbcTaskQueue settlements;
  private final HttpServer server;
  private final ExecutorService threads;

  PaymentsApi(
      DataSource database,
      RedisRateLimitHierarchy limits,
      List<RateLimit> levels,
      Idempotency<StoredResponse> idempotency,
      Outbox outbox,
      JdbcTaskQueue settlements) {
    this.database = database;
    this.limits = limits;
    this.levels = levels;
    this.idempotency = idempotency;
    this.outbox = outbox;
    this.settlements = settlements;
    try {
      this.server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the API's port", e);
    }
    this.threads = RequestThreads.create();
    server.setExecutor(threads);
    server.createContext("/payments", this::handle);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/payments");
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      StoredResponse response =
          switch (exchange.getRequestMethod()) {
            case "POST" -> post(exchange);
            case "GET" -> get(exchange.getRequestURI().getPath());
            default -> text(405, "POST or GET");
          };
      send(exchange, response);
    } catch (RuntimeException e) {
      send(exchange, text(500, "internal error"));
      throw e;
    }
  }

  private StoredResponse post(HttpExchange exchange) throws IOException {
    String tenant = exchange.getRequestHeaders().getFirst("X-Tenant");
    if (tenant == null || tenant.isBlank()) {
      return text(401, "X-Tenant is required");
    }
    // Rate limits first: a rejected request costs one Redis round trip and nothing else.
    Decision decision = limits.decide(1, "all", tenant, tenant + ":POST /payments");
    Map<String, String> rateHeaders = RateLimitHeaders.of(decision, level(decision.policy()));
    if (!decision.allowed()) {
      return withHeaders(text(429, "rate limit " + decision.policy() + " reached"), rateHeaders);
    }
    IdempotencyKey key;
    try {
      key =
          IdempotentHttp.key(
              tenant, exchange.getRequestHeaders().getFirst(IdempotentHttp.KEY_HEADER));
    } catch (IdempotentHttp.BadKey bad) {
      return withHeaders(bad.response(), rateHeaders);
    }
    byte[] body = exchange.getRequestBody().readAllBytes();
    Fingerprint fingerprint =
        Fingerprint.builder()
            .add("method", "POST")
            .add("path", "/payments")
            .add("body", body)
            .build();
    StoredResponse response =
        IdempotentHttp.respond(
            idempotency.execute(key, fingerprint, () -> createPayment(tenant, body)));
    return withHeaders(response, rateHeaders);
  }

  /** The payment, its event and its settlement task: all of them or none. */
  private StoredResponse createPayment(String tenant, byte[] body) {
    long cents;
    try {
      cents = Long.parseLong(new String(body, StandardCharsets.UTF_8).strip());
    } catch (NumberFormatException e) {
      return text(400, "the body must be an amount in cents");
    }
    UUID id = UUID.randomUUID();
    try (Connection connection = database.getConnection()) {
      connection.setAutoCommit(false);
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO payments (id, tenant, amount_cents) VALUES (?, ?, ?)")) {
        insert.setObject(1, id);
        insert.setString(2, tenant);
        insert.setLong(3, cents);
        insert.executeUpdate();
      }
      outbox.append(connection, Events.created(id, tenant, cents));
      settlements.enqueue(
          connection, "settlements", id.toString().getBytes(StandardCharsets.UTF_8));
      connection.commit();
    } catch (SQLException e) {
      // Thrown, not stored: the idempotency key is released and the client's retry executes.
      throw new IllegalStateException("cannot store payment: " + e.getMessage(), e);
    }
    return withHeaders(text(201, id.toString()), Map.of("Location", "/payments/" + id));
  }

  private StoredResponse get(String path) {
    String id = path.substring(path.lastIndexOf('/') + 1);
    try (Connection connection = database.getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT p.amount_cents, s.settled_by IS NOT NULL FROM payments p"
                    + " LEFT JOIN settlements s ON s.payment_id = p.id WHERE p.id = ?")) {
      select.setObject(1, UUID.fromString(id));
      try (ResultSet row = select.executeQuery()) {
        return row.next()
            ? text(
                200,
                "{\"id\":\""
                    + id
                    + "\",\"amount_cents\":"
                    + row.getLong(1)
                    + ",\"settled\":"
                    + row.getBoolean(2)
                    + "}")
            : text(404, "no payment " + id);
      }
    } catch (IllegalArgumentException e) {
      return text(404, "no payment " + id);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read payment: " + e.getMessage(), e);
    }
  }

  private RateLimit level(String policy) {
    return levels.stream().filter(l -> l.name().equals(policy)).findFirst().orElse(levels.get(0));
  }

  static StoredResponse text(int status, String body) {
    return new StoredResponse(
        status,
        Map.of("Content-Type", List.of("text/plain; charset=utf-8")),
        body.getBytes(StandardCharsets.UTF_8));
  }

  private static StoredResponse withHeaders(StoredResponse response, Map<String, String> more) {
    Map<String, List<String>> headers = new java.util.LinkedHashMap<>(response.headers());
    more.forEach((name, value) -> headers.put(name, List.of(value)));
    return new StoredResponse(response.status(), headers, response.body());
  }

  private static void send(HttpExchange exchange, StoredResponse response) throws IOException {
    response.headers().forEach((name, values) -> exchange.getResponseHeaders().put(name, values));
    byte[] body = response.body();
    exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
    exchange.getResponseBody().write(body);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  /** Executors.newVirtualThreadPerTaskExecutor() when the JDK has virtual threads (21+). */
  static final class RequestThreads {
    private RequestThreads() {}

    static ExecutorService create() {
      try {
        return (ExecutorService)
            Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
      } catch (ReflectiveOperationException e) {
        return Executors.newFixedThreadPool(16); // JDK 17: platform threads
      }
    }
  }
}
