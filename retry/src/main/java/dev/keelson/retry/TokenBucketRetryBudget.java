package dev.keelson.retry;

import dev.keelson.core.internal.Checks;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A retry quota in the style of the AWS SDKs' standard retry mode: a bucket of tokens that starts
 * full, each retry costs some, and each success puts some back. A run of failures empties it and
 * retries stop until successes refill it. It needs no clock.
 *
 * <p>Defaults are the AWS SDK's: 500 tokens, 5 per retry, and on success the cost of the retry back
 * (if the call retried) or 1 token (if it did not).
 *
 * <p>Every setting may be as large as {@link Long#MAX_VALUE}: a refill saturates at the capacity,
 * so no sum overflows.
 */
public final class TokenBucketRetryBudget implements RetryBudget {

  private final long capacity;
  private final long retryCost;
  private final long successRefill;
  private final AtomicLong tokens;

  private TokenBucketRetryBudget(Builder builder) {
    this.capacity = builder.capacity;
    this.retryCost = builder.retryCost;
    this.successRefill = builder.successRefill;
    this.tokens = new AtomicLong(capacity);
  }

  public static TokenBucketRetryBudget withDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void onRequest() {
    // Requests cost nothing; only retries spend tokens.
  }

  @Override
  public boolean tryAcquireRetry() {
    while (true) {
      long current = tokens.get();
      if (current < retryCost) {
        return false;
      }
      if (tokens.compareAndSet(current, current - retryCost)) {
        return true;
      }
    }
  }

  @Override
  public void giveBackRetry() {
    refill(retryCost);
  }

  @Override
  public void onSuccess(boolean retried) {
    refill(retried ? retryCost : successRefill);
  }

  private void refill(long refill) {
    long current;
    do {
      current = tokens.get();
      if (current >= capacity) {
        return;
      }
      // Saturates at the capacity: current + refill may not fit a long when both are huge.
    } while (!tokens.compareAndSet(
        current, refill >= capacity - current ? capacity : current + refill));
  }

  /**
   * @return tokens left in the bucket
   */
  public long tokens() {
    return tokens.get();
  }

  /** Whole retries the tokens left pay for. */
  @Override
  public long retriesAvailable() {
    return tokens.get() / retryCost;
  }

  @Override
  public String toString() {
    return "TokenBucketRetryBudget[capacity="
        + capacity
        + ", retryCost="
        + retryCost
        + ", successRefill="
        + successRefill
        + ", tokens="
        + tokens.get()
        + "]";
  }

  /** Settings of a {@link TokenBucketRetryBudget}; every one has a default. */
  public static final class Builder {
    private long capacity = 500;
    private long retryCost = 5;
    private long successRefill = 1;

    private Builder() {}

    /**
     * @param capacity tokens when full, at least 1 (default 500)
     * @return this builder
     */
    public Builder capacity(long capacity) {
      this.capacity = Checks.atLeast("capacity", capacity, 1L);
      return this;
    }

    /**
     * @param retryCost tokens one retry spends, at least 1 (default 5)
     * @return this builder
     */
    public Builder retryCost(long retryCost) {
      this.retryCost = Checks.atLeast("retryCost", retryCost, 1L);
      return this;
    }

    /**
     * @param successRefill tokens a success without retries puts back, 0 or more (default 1)
     * @return this builder
     */
    public Builder successRefill(long successRefill) {
      this.successRefill = Checks.atLeast("successRefill", successRefill, 0L);
      return this;
    }

    public TokenBucketRetryBudget build() {
      if (retryCost > capacity) {
        throw new IllegalArgumentException(
            "retryCost: "
                + retryCost
                + " is more than the capacity "
                + capacity
                + "; no retry could ever pass");
      }
      return new TokenBucketRetryBudget(this);
    }
  }
}
