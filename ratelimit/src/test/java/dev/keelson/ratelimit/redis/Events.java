package dev.keelson.ratelimit.redis;

import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.DecisionSource;
import dev.keelson.ratelimit.RateLimitListener;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Writes down what a Redis limiter reports, in order, and which limiter's names the events carried:
 * a decision as "allowed by BACKEND for acme", a backend answer as "answered" (its latency in
 * {@link #latencies}), a shadow allow as "shadow-allowed acme".
 */
final class Events implements RateLimitListener {
  final List<String> log = new CopyOnWriteArrayList<>();
  final List<Long> latencies = new CopyOnWriteArrayList<>();
  final Set<String> limiters = ConcurrentHashMap.newKeySet();

  @Override
  public void onBackendError(String limiter, Throwable error) {
    limiters.add(limiter);
    log.add("error");
  }

  @Override
  public void onFallbackEntered(String limiter, Throwable cause) {
    limiters.add(limiter);
    log.add("fallback entered");
  }

  @Override
  public void onFallbackLeft(String limiter) {
    limiters.add(limiter);
    log.add("fallback left");
  }

  @Override
  public void onDecision(String limiter, String key, Decision decision, DecisionSource source) {
    limiters.add(limiter);
    log.add((decision.allowed() ? "allowed" : "denied") + " by " + source + " for " + key);
  }

  @Override
  public void onShadowAllowed(String limiter, String key, Decision denial) {
    limiters.add(limiter);
    log.add("shadow-allowed " + key + (denial.allowed() ? " (not a denial)" : ""));
  }

  @Override
  public void onBackendAnswered(String limiter, long latencyNanos) {
    limiters.add(limiter);
    latencies.add(latencyNanos);
    log.add("answered");
  }

  /** Events that are {@code event} or start with it, such as "denied" or "allowed by FALLBACK". */
  long count(String event) {
    return log.stream().filter(e -> e.equals(event) || e.startsWith(event + " ")).count();
  }
}
