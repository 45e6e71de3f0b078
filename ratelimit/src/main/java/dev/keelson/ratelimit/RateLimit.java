package dev.keelson.ratelimit;

import dev.keelson.core.internal.Checks;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A rule: at most {@code limit} permits per {@code period}, counted by an {@link Algorithm}, under
 * a name that appears in decisions, HTTP headers and Redis keys. Immutable; validated when made.
 *
 * <pre>{@code
 * RateLimit perTenant = RateLimit.tokenBucket("tenant", 100, Duration.ofSeconds(1));
 * }</pre>
 */
public final class RateLimit {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final Duration SHORTEST = Duration.ofMillis(1);
  private static final Duration LONGEST = Duration.ofDays(7);

  private final String name;
  private final Algorithm algorithm;
  private final long limit;
  private final Duration period;

  private RateLimit(String name, Algorithm algorithm, long limit, Duration period) {
    Objects.requireNonNull(algorithm, "algorithm");
    if (!NAME.matcher(Checks.text("name", name, 64)).matches()) {
      throw new IllegalArgumentException(
          "name: '" + name + "' must be letters, digits, '_', '.' or '-'");
    }
    Checks.between("period", period, SHORTEST, LONGEST);
    long maxLimit = maxLimit(algorithm, period);
    if (limit < 1 || limit > maxLimit) {
      throw Checks.notIn(
          "limit",
          limit,
          1,
          maxLimit,
          maxLimit < algorithm.maxLimit()
              ? "a token bucket refills at most one permit per nanosecond"
              : "the most a " + algorithm + " rule holds");
    }
    this.name = name;
    this.algorithm = algorithm;
    this.limit = limit;
    this.period = period;
  }

  /**
   * A bucket of {@code capacity} permits that refills continuously, {@code capacity} per {@code
   * period}.
   *
   * @param name the rule's name
   * @param capacity the burst size and the permits per period; at most one per nanosecond of the
   *     period
   * @param period the time to refill a whole bucket
   * @return the rule
   */
  public static RateLimit tokenBucket(String name, long capacity, Duration period) {
    return new RateLimit(name, Algorithm.TOKEN_BUCKET, capacity, period);
  }

  /**
   * At most {@code limit} permits in any {@code window}, estimated from the counts of ten slices of
   * it. Any ten consecutive slices hold at most {@code limit}.
   *
   * @param name the rule's name
   * @param limit permits per window, up to 1,048,576
   * @param window the window
   * @return the rule
   */
  public static RateLimit slidingWindow(String name, long limit, Duration window) {
    return new RateLimit(name, Algorithm.SLIDING_WINDOW, limit, window);
  }

  /**
   * At most {@code limit} permits in any {@code window}, exactly.
   *
   * @param name the rule's name
   * @param limit permits per window, up to 10,000 (one timestamp is kept per permit)
   * @param window the window
   * @return the rule
   */
  public static RateLimit slidingLog(String name, long limit, Duration window) {
    return new RateLimit(name, Algorithm.SLIDING_LOG, limit, window);
  }

  /**
   * At most {@code limit} permits per window aligned to multiples of {@code window}.
   *
   * @param name the rule's name
   * @param limit permits per window
   * @param window the window
   * @return the rule
   */
  public static RateLimit fixedWindow(String name, long limit, Duration window) {
    return new RateLimit(name, Algorithm.FIXED_WINDOW, limit, window);
  }

  /**
   * The algorithm's largest limit, and for a token bucket one permit per nanosecond of its period
   * (its emission interval is a whole number of nanoseconds).
   */
  private static long maxLimit(Algorithm algorithm, Duration period) {
    return algorithm == Algorithm.TOKEN_BUCKET
        ? Math.min(algorithm.maxLimit(), period.toNanos())
        : algorithm.maxLimit();
  }

  public String name() {
    return name;
  }

  public Algorithm algorithm() {
    return algorithm;
  }

  public long limit() {
    return limit;
  }

  public Duration period() {
    return period;
  }

  @Override
  public boolean equals(@Nullable Object other) {
    return other instanceof RateLimit
        && ((RateLimit) other).name.equals(name)
        && ((RateLimit) other).algorithm == algorithm
        && ((RateLimit) other).limit == limit
        && ((RateLimit) other).period.equals(period);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, algorithm, limit, period);
  }

  @Override
  public String toString() {
    return "RateLimit[" + name + ": " + limit + " per " + period + ", " + algorithm + "]";
  }
}
