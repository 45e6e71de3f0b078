package dev.keelson.ratelimit;

import java.time.Duration;
import java.util.Objects;

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

  private Decision(
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
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /**
   * A grant.
   *
   * @param remaining permits that could still be granted now
   * @param limit the rule's limit
   * @param resetAfterNanos time until the rule would grant its full limit again
   * @param policy the rule's name
   * @return the decision
   */
  public static Decision allow(long remaining, long limit, long resetAfterNanos, String policy) {
    return new Decision(true, remaining, limit, resetAfterNanos, 0, policy);
  }

  /**
   * A denial.
   *
   * @param remaining permits that could still be granted now (fewer than asked for)
   * @param limit the rule's limit
   * @param resetAfterNanos time until the rule would grant its full limit again
   * @param retryAfterNanos time until the same request would be granted
   * @param policy the rule's name
   * @return the decision
   */
  public static Decision deny(
      long remaining, long limit, long resetAfterNanos, long retryAfterNanos, String policy) {
    return new Decision(false, remaining, limit, resetAfterNanos, retryAfterNanos, policy);
  }

  /**
   * A grant or a denial, for code that computes which: {@link #allow} or {@link #deny}.
   *
   * @param allowed whether the permits were granted
   * @param remaining permits that could still be granted now
   * @param limit the rule's limit
   * @param resetAfterNanos time until the rule would grant its full limit again
   * @param retryAfterNanos for a denial, the time until the same request would be granted; ignored
   *     when allowed
   * @param policy the rule's name
   * @return the decision
   */
  public static Decision of(
      boolean allowed,
      long remaining,
      long limit,
      long resetAfterNanos,
      long retryAfterNanos,
      String policy) {
    return new Decision(allowed, remaining, limit, resetAfterNanos, retryAfterNanos, policy);
  }

  /**
   * @return this decision as a grant, everything else kept: what shadow mode answers after it
   *     reported a denial
   */
  public Decision asAllowed() {
    return allowed ? this : allow(remaining, limit, resetAfterNanos, policy);
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
