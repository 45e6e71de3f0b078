package dev.keelson.micrometer;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How one Keelson component fares, as its binder saw it last: what an operator reads and what a
 * health endpoint (Spring Boot Actuator's, or any other) shows. Immutable; needs no Spring.
 *
 * @param component the kind of component: {@code ratelimit}, {@code outbox}, {@code leadership}
 * @param name the component's name, as its events carry it
 * @param status how it fares
 * @param details what the status rests on, in a stable order (numbers, strings, booleans)
 */
public record Health(
    String component, String name, HealthStatus status, Map<String, Object> details) {

  /**
   * Copies the details, keeping their order.
   *
   * @throws NullPointerException if an argument, or a detail's key or value, is null
   */
  public Health {
    Objects.requireNonNull(component, "component");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(details, "details");
    details.forEach(
        (key, value) -> {
          Objects.requireNonNull(key, "a detail's key");
          Objects.requireNonNull(value, () -> "the detail " + key);
        });
    details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /**
   * @param healths some components' healths
   * @return the worst of their statuses; {@link HealthStatus#UP} for none
   */
  public static HealthStatus worst(Collection<Health> healths) {
    HealthStatus worst = HealthStatus.UP;
    for (Health health : healths) {
      if (health.status().compareTo(worst) > 0) {
        worst = health.status();
      }
    }
    return worst;
  }

  /** The longest failure a detail keeps, in characters. */
  static final int MAX_TEXT = 300;

  /**
   * A failure as a detail shows it: its class and message, as a log line would, cut to a length (a
   * driver's message can run to pages).
   */
  static String text(Throwable failure) {
    String text = String.valueOf(failure);
    return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 3) + "...";
  }
}
