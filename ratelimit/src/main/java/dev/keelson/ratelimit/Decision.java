package dev.keelson.ratelimit;

import java.time.Duration;

/**
 * The answer to one request for permits: whether they were granted, and what a client needs to
 * behave: what is left, when the limit resets, and, for a denial, exactly when to retry. Immutable.
 */
public final class Decision {

  private final boolean allowed;
  private final long remaining;
  private final long limit;
  private final long resetAfterNanos;
  private final long retryAfterNanos;
  private final String policy;

  /**
   * @param allowed whether the permits were granted
   * @param remaining permits that could still be granted now
   * @param limit the rule's limit
   * @param resetAfterNanos time until the rule would grant its full limit again
   * @param retryAfterNanos for a denial, the time until the same request would be granted; zero
   *     when allowed
   * @param policy the rule's name
   */
  public Decision(
      boolean allowed,
      long remaining,
      long limit,
      long resetAfterNanos,
      long retryAfterNanos,
      String policy) {
    this.allowed = allowed;
    this.remaining = Math.max(0, remaining);
    this.limit = limit;
    this.resetAfterNanos = Math.max(0, resetAfterNanos);
    this.retryAfterNanos = allowed ? 0 : Math.max(0, retryAfterNanos);
    this.policy = policy;
  }

  public boolean allowed() {
    return allowed;
  }

  /**
   * @return permits that could still be granted now
   */
  public long remaining() {
    return remaining;
  }

  public long limit() {
    return limit;
  }

  /**
   * @return time until the rule would grant its full limit again
   */
  public Duration resetAfter() {
    return Duration.ofNanos(resetAfterNanos);
  }

  public long resetAfterNanos() {
    return resetAfterNanos;
  }

  /**
   * @return for a denial, the time until the same request would be granted (if nobody else takes
   *     permits meanwhile); zero when allowed
   */
  public Duration retryAfter() {
    return Duration.ofNanos(retryAfterNanos);
  }

  public long retryAfterNanos() {
    return retryAfterNanos;
  }

  /**
   * @return the name of the rule that decided (for a hierarchy, the level that denied)
   */
  public String policy() {
    return policy;
  }

  @Override
  public String toString() {
    return (allowed ? "allowed" : "denied (retry after " + retryAfter() + ")")
        + " by "
        + policy
        + ": "
        + remaining
        + "/"
        + limit
        + " left, reset after "
        + resetAfter();
  }
}
