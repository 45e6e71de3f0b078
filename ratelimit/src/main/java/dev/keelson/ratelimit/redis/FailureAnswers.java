package dev.keelson.ratelimit.redis;

import dev.keelson.ratelimit.Decision;
import dev.keelson.ratelimit.FailurePolicy;
import dev.keelson.ratelimit.RateLimit;
import java.util.function.Supplier;

/**
 * What a Redis limiter answers while Redis cannot decide, as its failure policy says. Every request
 * the limiter accepts gets an answer: one larger than the local fallback could ever grant (its
 * share of the limit is smaller) is denied until Redis may be back, never rejected.
 */
final class FailureAnswers {

  private final FailurePolicy policy;
  private final long probeIntervalNanos;
  private final RateLimit reported;
  private final RateLimit tightest;
  private final long localMaxPermits;

  /**
   * @param policy the failure policy
   * @param probeIntervalNanos how often the breaker tries Redis again: the retry-after of a denial
   * @param reported the rule an open or closed answer is about
   * @param tightest the rule whose local share is the smallest (the one a request can outgrow)
   */
  FailureAnswers(
      FailurePolicy policy, long probeIntervalNanos, RateLimit reported, RateLimit tightest) {
    this.policy = policy;
    this.probeIntervalNanos = probeIntervalNanos;
    this.reported = reported;
    this.tightest = tightest;
    this.localMaxPermits = policy.localLimit(tightest).limit();
  }

  /**
   * @param permits the request's cost, already checked against the rules
   * @param local the local fallback's decision, asked only when it can grant the request
   * @return the answer
   */
  Decision answer(int permits, Supplier<Decision> local) {
    switch (policy.kind()) {
      case OPEN:
        return Decision.allow(reported.limit(), reported.limit(), 0, reported.name());
      case CLOSED:
        return deniedUntilProbe(reported);
      default:
        return permits <= localMaxPermits ? local.get() : deniedUntilProbe(tightest);
    }
  }

  /** Denied until the breaker's next probe may find Redis back. */
  private Decision deniedUntilProbe(RateLimit rule) {
    return Decision.deny(0, rule.limit(), 0, probeIntervalNanos, rule.name());
  }
}
