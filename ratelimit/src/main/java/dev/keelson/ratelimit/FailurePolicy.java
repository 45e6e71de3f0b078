package dev.keelson.ratelimit;

/**
 * What a remote rate limiter decides while its backend cannot answer.
 *
 * <ul>
 *   <li>{@link #failOpen()}: allow everything; the protected service takes the load.
 *   <li>{@link #failClosed()}: deny everything; the service is protected, its clients are not
 *       served.
 *   <li>{@link #fallback(double)}: enforce the limit in this JVM, scaled to its share of the fleet
 *       (1/N for N instances). The default is {@code fallback(1.0)}: every instance enforces the
 *       whole limit, so the fleet admits at most N times it, and one client still cannot take more
 *       than the limit from one instance.
 * </ul>
 */
public final class FailurePolicy {

  /** The three policies. */
  public enum Kind {
    OPEN,
    CLOSED,
    FALLBACK
  }

  private final Kind kind;
  private final double localShare;

  private FailurePolicy(Kind kind, double localShare) {
    this.kind = kind;
    this.localShare = localShare;
  }

  public static FailurePolicy failOpen() {
    return new FailurePolicy(Kind.OPEN, 0);
  }

  public static FailurePolicy failClosed() {
    return new FailurePolicy(Kind.CLOSED, 0);
  }

  /**
   * @param localShare this JVM's share of the limit, more than 0 and at most 1
   * @return the policy
   */
  public static FailurePolicy fallback(double localShare) {
    if (!(localShare > 0 && localShare <= 1)) {
      throw new IllegalArgumentException("localShare: " + localShare + " is not in (0, 1]");
    }
    return new FailurePolicy(Kind.FALLBACK, localShare);
  }

  public Kind kind() {
    return kind;
  }

  public double localShare() {
    return localShare;
  }

  /**
   * The in-process rule that stands in for {@code limit} under {@link #fallback(double)}.
   *
   * @param limit the remote rule
   * @return the same rule with its limit scaled to the local share (at least 1)
   */
  public RateLimit localLimit(RateLimit limit) {
    double share = kind == Kind.FALLBACK ? localShare : 1;
    long local = Math.max(1, (long) Math.floor(limit.limit() * share));
    switch (limit.algorithm()) {
      case TOKEN_BUCKET:
        return RateLimit.tokenBucket(limit.name(), local, limit.period());
      case SLIDING_WINDOW:
        return RateLimit.slidingWindow(limit.name(), local, limit.period());
      case SLIDING_LOG:
        return RateLimit.slidingLog(limit.name(), local, limit.period());
      default:
        return RateLimit.fixedWindow(limit.name(), local, limit.period());
    }
  }

  @Override
  public String toString() {
    return kind == Kind.FALLBACK
        ? "fallback(" + localShare + ")"
        : "fail" + (kind == Kind.OPEN ? "Open" : "Closed");
  }
}
