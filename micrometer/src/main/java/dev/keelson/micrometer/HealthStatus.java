package dev.keelson.micrometer;

/** How a component fares, from best to worst. */
public enum HealthStatus {
  /** It works as configured. */
  UP,
  /**
   * It works, but needs a look: a relay's backlog or lag above its threshold, dead letters waiting,
   * a candidate that lost its leadership a short while ago.
   */
  DEGRADED,
  /**
   * It does not work as configured: a rate limiter's backend is down and its failure policy
   * decides, a relay's last round failed.
   */
  DOWN
}
