package dev.keelson.examples;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The scripted clients: honest payments sent twice (a lost response and a retry), a client that
 * reuses a key for another amount, and one tenant's burst.
 */
final class Workload {

  final AtomicInteger requests = new AtomicInteger();
  final ConcurrentMap<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
  final AtomicInteger replays = new AtomicInteger();
  final List<String> createdIds = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private final URI payments;
  private final String run;

  Workload(URI payments, String run) {
    this.payments = payments;
    this.run = run;
  }

  /** Every payment twice, as a client retrying after a lost response. */
  void honestClients(int perTenant, String... tenants) {
    for (String tenant : tenants) {
      for (int i = 0; i < perTenant; i++) {
        String key = run + "-" + tenant + "-" + i;
        post(tenant, key, Long.toString(1000 + i));
        post(tenant, key, Long.toString(1000 + i));
      }
    }
  }

  /** The same key with another amount: refused, nothing charged. */
  void keyReusedForAnotherAmount(String tenant) {
    String key = run + "-" + tenant + "-reused";
    post(tenant, key, "500");
    post(tenant, key, "99999");
  }

  /** One tenant sends far more than its limit at once. */
  void burst(String tenant, int count) {
    for (int i = 0; i < count; i++) {
      post(tenant, run + "-" + tenant + "-burst-" + i, "100");
    }
  }

  HttpResponse<String> post(String tenant, String key, String body) {
    HttpRequest request =
        HttpRequest.newBuilder(payments)
            .header("X-Tenant", tenant)
            .header("Idempotency-Key", key)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response = send(request);
    if (response.statusCode() == 201) {
      if (response.headers().firstValue("Idempotent-Replayed").isPresent()) {
        replays.incrementAndGet();
      } else {
        synchronized (createdIds) {
          createdIds.add(response.body());
        }
      }
    }
    return response;
  }

  HttpResponse<String> get(String id) {
    return send(HttpRequest.newBuilder(URI.create(payments + "/" + id)).GET().build());
  }

  private HttpResponse<String> send(HttpRequest request) {
    requests.incrementAndGet();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      statuses.computeIfAbsent(response.statusCode(), s -> new AtomicInteger()).incrementAndGet();
      return response;
    } catch (IOException e) {
      throw new IllegalStateException("the service did not answer: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  int count(int status) {
    AtomicInteger count = statuses.get(status);
    return count == null ? 0 : count.get();
  }

  List<String> createdIds() {
    synchronized (createdIds) {
      return List.copyOf(createdIds);
    }
  }
}
