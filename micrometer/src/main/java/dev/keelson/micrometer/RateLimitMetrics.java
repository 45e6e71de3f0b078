package dev.keelson.micrometer;

import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.DecisionSource;
import dev.keelson.ratelimit.RateLimitListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * Meters for rate limiters and hierarchies, in process and on Redis, as their {@link
 * RateLimitListener}: give it to each limiter's builder ({@code .listener(metrics)}), and every
 * limiter's decisions are counted under its name, never its keys. Meters (see the module README for
 * the Prometheus names):
 *
 * <ul>
 *   <li>{@code keelson.ratelimit.decisions} (counter; {@code name}, {@code outcome}: {@code
 *       allowed} or {@code denied}, as decided, also in shadow mode; {@code source}: {@code
 *       backend}, {@code fallback} (the failure policy decided), {@code deny_cache} (a denial this
 *       JVM remembered: the local deny cache's hits) or {@code in_process});
 *   <li>{@code keelson.ratelimit.shadow.allowed} (counter of denials shadow mode let through;
 *       {@code name});
 *   <li>{@code keelson.ratelimit.backend.latency} (timer of the decisions the backend answered;
 *       {@code name});
 *   <li>{@code keelson.ratelimit.backend.errors} (counter of failed backend calls; {@code name});
 *   <li>{@code keelson.ratelimit.breaker.open} (gauge, 1 while the backend is considered down and
 *       the failure policy decides, else 0; {@code name}).
 * </ul>
 *
 * <p>A decision's meters are registered the first time it happens, so a limiter shows only the
 * sources and outcomes it has had.
 */
public final class RateLimitMetrics implements RateLimitListener {

  private static final DecisionSource[] SOURCES = DecisionSource.values();

  private final ByName<LimiterMeters> limiters;

  private RateLimitMetrics(Meters meters) {
    this.limiters = new ByName<>(name -> new LimiterMeters(meters, name));
  }

  /**
   * @param registry where the meters go
   * @return a builder
   */
  public static BinderBuilder<RateLimitMetrics> builder(MeterRegistry registry) {
    return new BinderBuilder<>(registry, RateLimitMetrics::new);
  }

  /**
   * @param registry where the meters go
   * @return a binder with every default (see {@link BinderBuilder})
   */
  public static RateLimitMetrics on(MeterRegistry registry) {
    return builder(registry).build();
  }

  @Override
  public void onDecision(String limiter, String key, Decision decision, DecisionSource source) {
    limiters.of(limiter).decided(source, decision.allowed()).increment();
  }

  @Override
  public void onShadowAllowed(String limiter, String key, Decision denial) {
    limiters.of(limiter).shadowAllowed.increment();
  }

  @Override
  public void onBackendAnswered(String limiter, long latencyNanos) {
    limiters.of(limiter).backendLatency.record(latencyNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void onBackendError(String limiter, Throwable error) {
    limiters.of(limiter).backendErrors.increment();
  }

  @Override
  public void onFallbackEntered(String limiter, Throwable cause) {
    LimiterMeters meters = limiters.of(limiter);
    meters.fallbackCause = String.valueOf(cause);
    meters.breakerOpen.set(1);
  }

  @Override
  public void onFallbackLeft(String limiter) {
    limiters.of(limiter).breakerOpen.set(0);
  }

  /**
   * The health of every limiter heard so far: {@link HealthStatus#DOWN} while its breaker is open
   * (its backend is down, and its failure policy decides), else {@link HealthStatus#UP}.
   *
   * @return one per limiter, by name
   */
  public List<Health> health() {
    List<Health> all = new ArrayList<>();
    for (Map.Entry<String, LimiterMeters> limiter : limiters.all()) {
      LimiterMeters meters = limiter.getValue();
      boolean open = meters.breakerOpen.get() == 1;
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("breaker", open ? "open" : "closed");
      details.put("backendErrors", (long) meters.backendErrors.count());
      String cause = meters.fallbackCause;
      if (open && cause != null) {
        details.put("cause", cause);
      }
      all.add(
          new Health(
              "ratelimit", limiter.getKey(), open ? HealthStatus.DOWN : HealthStatus.UP, details));
    }
    return all;
  }

  @Override
  public String toString() {
    return "RateLimitMetrics";
  }

  /** The meters of one limiter, registered when its name is first heard. */
  private static final class LimiterMeters {
    private final Meters meters;
    private final String name;
    // Two per source, allowed and denied, each registered when it first happens.
    private final AtomicReferenceArray<Counter> decisions =
        new AtomicReferenceArray<>(SOURCES.length * 2);
    final Counter shadowAllowed;
    final Timer backendLatency;
    final Counter backendErrors;
    final AtomicInteger breakerOpen = new AtomicInteger();
    volatile @Nullable String fallbackCause;

    LimiterMeters(Meters meters, String name) {
      this.meters = meters;
      this.name = name;
      shadowAllowed =
          meters.counter(
              "keelson.ratelimit.shadow.allowed", "Denials that shadow mode let through", name);
      backendLatency =
          meters.timer(
              "keelson.ratelimit.backend.latency", "Time the backend took to decide", name);
      backendErrors =
          meters.counter("keelson.ratelimit.backend.errors", "Backend calls that failed", name);
      meters.gauge(
          "keelson.ratelimit.breaker.open",
          "1 while the backend is considered down and the failure policy decides",
          null,
          name,
          breakerOpen,
          AtomicInteger::get);
    }

    Counter decided(DecisionSource source, boolean allowed) {
      int slot = source.ordinal() * 2 + (allowed ? 1 : 0);
      Counter counter = decisions.get(slot);
      if (counter == null) {
        // Racing threads register the same meter: the registry returns one for one id.
        counter =
            meters.counter(
                "keelson.ratelimit.decisions",
                "Rate-limit decisions, by outcome and by what decided",
                name,
                Meters.OUTCOME,
                allowed ? "allowed" : "denied",
                Meters.SOURCE,
                source.name().toLowerCase(Locale.ROOT));
        decisions.set(slot, counter);
      }
      return counter;
    }
  }
}
