package dev.keelson.retry;

import dev.keelson.retry.internal.Backoffs;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How long to wait before a retry. Implementations are immutable and thread-safe; randomness comes
 * from the caller so that tests can fix the seed.
 *
 * <p>The jittered strategies follow the AWS Architecture Blog's "Exponential Backoff and Jitter":
 * full jitter spreads clients best and is the default.
 */
@FunctionalInterface
public interface Backoff {

  /**
   * The delay before a retry.
   *
   * @param retry 1 before the first retry (the second attempt), 2 before the second...
   * @param previousDelayNanos the delay before the previous retry; 0 before the first
   * @param random the source of jitter
   * @return the delay in nanoseconds, zero or more
   */
  long delayNanos(int retry, long previousDelayNanos, RandomGenerator random);

  /**
   * The same delay before every retry.
   *
   * @param delay the delay, zero or more
   * @return the strategy
   */
  static Backoff fixed(Duration delay) {
    return Backoffs.fixed(delay);
  }

  /**
   * {@code min(cap, base * 2^(retry-1))}, no jitter: clients that failed together retry together.
   *
   * @param base the first delay, more than zero
   * @param cap the longest delay, at least {@code base}
   * @return the strategy
   */
  static Backoff exponential(Duration base, Duration cap) {
    return Backoffs.exponential(base, cap);
  }

  /**
   * {@code random(0, min(cap, base * 2^(retry-1)))}: the default; spreads retries evenly over the
   * whole window, so a failed crowd does not come back as a wave.
   *
   * @param base the first window, more than zero
   * @param cap the longest window, at least {@code base}
   * @return the strategy
   */
  static Backoff fullJitter(Duration base, Duration cap) {
    return Backoffs.fullJitter(base, cap);
  }

  /**
   * {@code v/2 + random(0, v/2)} with {@code v = min(cap, base * 2^(retry-1))}: never shorter than
   * half the exponential delay.
   *
   * @param base the first delay, more than zero
   * @param cap the longest delay, at least {@code base}
   * @return the strategy
   */
  static Backoff equalJitter(Duration base, Duration cap) {
    return Backoffs.equalJitter(base, cap);
  }

  /**
   * {@code min(cap, random(base, previous * 3))}: each delay grows from the last one drawn.
   *
   * @param base the shortest delay, more than zero
   * @param cap the longest delay, at least {@code base}
   * @return the strategy
   */
  static Backoff decorrelatedJitter(Duration base, Duration cap) {
    return Backoffs.decorrelatedJitter(base, cap);
  }
}
