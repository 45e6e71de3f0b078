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
 *   <li>{@code keelson.ratelimit.breaker.open} (gauge: how many limiters of the name have their
 *       backend's breaker open and follow their failure policy, so 1 or 0 for a limiter with a name
 *       of its own; {@code name}).
 * </ul>
 *
 * <p>A limiter's meters are registered when its first event comes, all the decision series of its
 * kind at once (backend, fallback and deny cache for a Redis limiter; in process for the others),
 * so a fallback's first decisions are not lost to a series that appears late.
 */
public final class RateLimitMetrics implements RateLimitListener {

  private static final DecisionSource[] SOURCES = DecisionSource.values();

  private final ByName<LimiterMeters> limiters;

  private RateLimitMetrics(Builder builder) {
    Meters meters = builder.meters();
    this.limiters = new ByName<>(name -> new LimiterMeters(meters, name));
  }

  /**
   * @param registry where the meters go
   * @return a builder
   */
  public static Builder builder(MeterRegistry registry) {
    return new Builder(registry);
  }

  /**
   * @param registry where the meters go
   * @return a binder with every default (see {@link Builder})
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
    limiters.of(limiter).remote().backendLatency.record(latencyNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void onBackendError(String limiter, Throwable error) {
    limiters.of(limiter).remote().backendErrors.increment();
  }

  @Override
  public void onFallbackEntered(String limiter, Throwable cause) {
    LimiterMeters meters = limiters.of(limiter);
    meters.fallbackCause = Health.text(cause);
    meters.remote().breakersOpen.incrementAndGet();
  }

  @Override
  public void onFallbackLeft(String limiter) {
    // Never below zero: a binder given to a limiter whose breaker was open already.
    limiters.of(limiter).remote().breakersOpen.updateAndGet(open -> Math.max(0, open - 1));
  }

  /**
   * The health of every limiter with a backend heard so far: {@link HealthStatus#DOWN} while its
   * breaker is open (its backend is down, and its failure policy decides), else {@link
   * HealthStatus#UP}. In-process limiters have no backend, and no health.
   *
   * @return one per limiter, by name
   */
  public List<Health> health() {
    List<Health> all = new ArrayList<>();
    for (Map.Entry<String, LimiterMeters> limiter : limiters.all()) {
      LimiterMeters meters = limiter.getValue();
      RemoteMeters remote = meters.remote;
      if (remote == null) {
        continue;
      }
      boolean open = remote.breakersOpen.get() > 0;
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("breaker", open ? "open" : "closed");
      details.put("backendErrors", (long) remote.backendErrors.count());
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
    // Two per source, allowed and denied; registered by kind of limiter, at its first event.
    private final Counter[] decisions = new Counter[SOURCES.length * 2];
    final Counter shadowAllowed;
    volatile @Nullable RemoteMeters remote;
    private volatile boolean inProcess;
    volatile @Nullable String fallbackCause;

    LimiterMeters(Meters meters, String name) {
      this.meters = meters;
      this.name = name;
      shadowAllowed =
          meters.counter(
              "keelson.ratelimit.shadow.allowed", "Denials that shadow mode let through", name);
    }

    Counter decided(DecisionSource source, boolean allowed) {
      if (source == DecisionSource.IN_PROCESS) {
        if (!inProcess) {
          registerInProcess();
        }
      } else {
        remote();
      }
      return decisions[source.ordinal() * 2 + (allowed ? 1 : 0)];
    }

    private synchronized void registerInProcess() {
      register(DecisionSource.IN_PROCESS);
      inProcess = true; // after the counters: a thread that reads it true finds them
    }

    /** The meters only a limiter with a backend has; registered at its first event. */
    RemoteMeters remote() {
      RemoteMeters registered = remote;
      return registered != null ? registered : registerRemote();
    }

    private synchronized RemoteMeters registerRemote() {
      RemoteMeters registered = remote;
      if (registered == null) {
        for (DecisionSource source : SOURCES) {
          if (source != DecisionSource.IN_PROCESS) {
            register(source);
          }
        }
        registered = new RemoteMeters(meters, name);
        remote = registered; // after the counters: a thread that reads it finds them
      }
      return registered;
    }

    private void register(DecisionSource source) {
      for (boolean allowed : new boolean[] {false, true}) {
        decisions[source.ordinal() * 2 + (allowed ? 1 : 0)] =
            meters.counter(
                "keelson.ratelimit.decisions",
                "Rate-limit decisions, by outcome and by what decided",
                name,
                Meters.OUTCOME,
                allowed ? "allowed" : "denied",
                Meters.SOURCE,
                source.name().toLowerCase(Locale.ROOT));
      }
    }
  }

  /** The meters of a limiter's backend. */
  private static final class RemoteMeters {
    final Timer backendLatency;
    final Counter backendErrors;
    final AtomicInteger breakersOpen = new AtomicInteger();

    RemoteMeters(Meters meters, String name) {
      backendLatency =
          meters.timer(
              "keelson.ratelimit.backend.latency", "Time the backend took to decide", name);
      backendErrors =
          meters.counter("keelson.ratelimit.backend.errors", "Backend calls that failed", name);
      meters.gauge(
          "keelson.ratelimit.breaker.open",
          "Limiters of this name whose backend is considered down: the failure policy decides",
          null,
          name,
          breakersOpen,
          AtomicInteger::get);
    }
  }

  /** Settings of a {@link RateLimitMetrics}: those every binder has. */
  public static final class Builder extends MetricsBuilder<Builder, RateLimitMetrics> {
    private Builder(MeterRegistry registry) {
      super(registry, RateLimitMetrics::new);
    }

    @Override
    Builder self() {
      return this;
    }
  }
}
