package dev.keelson.retry;

import dev.keelson.core.Ticker;
import dev.keelson.core.internal.Checks;
import dev.keelson.retry.internal.WindowedCounter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Allows retries up to a share of the requests of a recent window, plus a small floor per second so
 * that a quiet client can still retry:
 *
 * <pre>retries in window &lt; ratio × requests in window + minRetriesPerSecond × window</pre>
 *
 * <p>Defaults: ratio 10% (the Google SRE book's per-client retry budget), a 10 s window and a floor
 * of 1 retry per second (Finagle's {@code RetryBudget} has a 10 s window; its floor of 10 per
 * second is generous for a fleet of many clients). During a total outage a client then sends at
 * most {@code 1 + ratio} times its request rate, plus the floor.
 *
 * <p>Lock-free: a request costs one clock read and one compare-and-set. Under heavy contention a
 * few concurrent retries may pass the check together; the excess is at most the number of threads
 * racing.
 */
public final class RatioRetryBudget implements RetryBudget {

  private static final int SLOTS = 10;

  private final double ratio;
  private final long floorPerWindow;
  private final Ticker ticker;
  private final WindowedCounter requests;
  private final WindowedCounter retries;
  private final int samplingMask;
  private final String description;
  private volatile long currentEpoch;

  private RatioRetryBudget(Builder builder) {
    this.ratio = builder.ratio;
    long windowNanos = builder.windowNanos;
    this.floorPerWindow = Math.round(builder.minRetriesPerSecond * windowNanos / 1e9);
    this.ticker = builder.ticker;
    this.requests = new WindowedCounter(windowNanos, SLOTS);
    this.retries = new WindowedCounter(windowNanos, SLOTS);
    this.samplingMask = builder.clockSampling - 1;
    this.currentEpoch = requests.epochOf(ticker.nanoTime());
    this.description =
        "RatioRetryBudget[ratio="
            + ratio
            + ", window="
            + Duration.ofNanos(windowNanos)
            + ", minRetriesPerSecond="
            + builder.minRetriesPerSecond
            + ", clockSampling="
            + builder.clockSampling
            + "]";
  }

  /**
   * A budget with the defaults: 10% of requests over 10 s, plus 1 retry per second.
   *
   * @return the budget
   */
  public static RatioRetryBudget withDefaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void onRequest() {
    long epoch =
        samplingMask == 0 || (ThreadLocalRandom.current().nextInt() & samplingMask) == 0
            ? readClock()
            : currentEpoch;
    requests.increment(epoch);
  }

  @Override
  public boolean tryAcquireRetry() {
    long epoch = readClock();
    if (retries.sum(epoch) >= allowedRetries(epoch)) {
      return false;
    }
    retries.increment(epoch);
    return true;
  }

  @Override
  public void giveBackRetry() {
    retries.decrement(readClock());
  }

  private long readClock() {
    long epoch = requests.epochOf(ticker.nanoTime());
    currentEpoch = epoch;
    return epoch;
  }

  @Override
  public void onSuccess(boolean retried) {
    // Successes neither earn nor cost anything here: only the share of requests counts.
  }

  /**
   * Retries still allowed in the current window.
   *
   * @return how many retries would be granted now
   */
  @Override
  public long retriesAvailable() {
    long epoch = readClock();
    return Math.max(0, allowedRetries(epoch) - retries.sum(epoch));
  }

  private long allowedRetries(long epoch) {
    return (long) (ratio * requests.sum(epoch)) + floorPerWindow;
  }

  @Override
  public String toString() {
    return description;
  }

  /** Settings of a {@link RatioRetryBudget}; every one has a default. */
  public static final class Builder {
    private double ratio = 0.1;
    private long windowNanos = Duration.ofSeconds(10).toNanos();
    private double minRetriesPerSecond = 1;
    private int clockSampling = 16;
    private Ticker ticker = Ticker.system();

    private Builder() {}

    /**
     * @param ratio retries allowed per request in the window, 0 to 10 (default 0.1)
     * @return this builder
     */
    public Builder ratio(double ratio) {
      this.ratio = Checks.between("ratio", ratio, 0, 10);
      return this;
    }

    /**
     * @param window how far back requests and retries count, 100 ms to 1 hour (default 10 s)
     * @return this builder
     */
    public Builder window(Duration window) {
      this.windowNanos =
          Checks.between("window", window, Duration.ofMillis(100), Duration.ofHours(1)).toNanos();
      return this;
    }

    /**
     * @param minRetriesPerSecond retries always allowed, whatever the traffic, 0 to 1,000,000
     *     (default 1)
     * @return this builder
     */
    public Builder minRetriesPerSecond(double minRetriesPerSecond) {
      this.minRetriesPerSecond =
          Checks.between("minRetriesPerSecond", minRetriesPerSecond, 0, 1_000_000);
      return this;
    }

    /**
     * @param clockSampling a request reads the clock once in this many, at random: a power of two
     *     from 1 (every request, exact) to 1024 (default 16)
     * @return this builder
     */
    public Builder clockSampling(int clockSampling) {
      if (clockSampling < 1 || clockSampling > 1024 || Integer.bitCount(clockSampling) != 1) {
        throw new IllegalArgumentException(
            "clockSampling: " + clockSampling + " is not a power of two in 1..1024");
      }
      this.clockSampling = clockSampling;
      return this;
    }

    /**
     * @param ticker the time source (default {@link Ticker#system()}); tests pass a manual one
     * @return this builder
     */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    public RatioRetryBudget build() {
      return new RatioRetryBudget(this);
    }
  }
}
