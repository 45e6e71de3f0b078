package dev.keelson.retry.internal;

import dev.keelson.core.internal.Checks;
import dev.keelson.retry.Backoff;
import java.time.Duration;
import java.util.random.RandomGenerator;

/** The built-in {@link Backoff} strategies. */
public final class Backoffs {

  private Backoffs() {}

  public static Backoff fixed(Duration delay) {
    long nanos = Checks.saturatedNanos(Checks.atLeast("delay", delay, Duration.ZERO));
    return new Named("fixed(" + delay + ")", (retry, previous, random) -> nanos);
  }

  public static Backoff exponential(Duration base, Duration cap) {
    Window window = Window.of(base, cap);
    return new Named(
        "exponential(" + base + ", cap " + cap + ")",
        (retry, previous, random) -> window.ceiling(retry));
  }

  public static Backoff fullJitter(Duration base, Duration cap) {
    Window window = Window.of(base, cap);
    return new Named(
        "fullJitter(" + base + ", cap " + cap + ")",
        (retry, previous, random) -> between(random, 0, window.ceiling(retry)));
  }

  public static Backoff equalJitter(Duration base, Duration cap) {
    Window window = Window.of(base, cap);
    return new Named(
        "equalJitter(" + base + ", cap " + cap + ")",
        (retry, previous, random) -> {
          long ceiling = window.ceiling(retry);
          long half = ceiling / 2;
          return half + between(random, 0, ceiling - half);
        });
  }

  public static Backoff decorrelatedJitter(Duration base, Duration cap) {
    Window window = Window.of(base, cap);
    return new Named(
        "decorrelatedJitter(" + base + ", cap " + cap + ")",
        (retry, previous, random) -> {
          long last = previous <= 0 ? window.base : previous;
          long upper = last > window.cap / 3 ? window.cap : Math.min(window.cap, last * 3);
          return between(random, window.base, Math.max(window.base, upper));
        });
  }

  /**
   * A uniformly drawn value in {@code [low, high]}, both zero or more. When the range is the whole
   * of {@code [0, Long.MAX_VALUE]} its size does not fit a {@code long}, and {@code high} itself is
   * left out (a bound of {@code high - low + 1} would overflow to a negative one).
   */
  private static long between(RandomGenerator random, long low, long high) {
    if (high <= low) {
      return low;
    }
    long span = high - low;
    return low + random.nextLong(span == Long.MAX_VALUE ? span : span + 1);
  }

  /** The validated base and cap of an exponential strategy. */
  private static final class Window {
    final long base;
    final long cap;

    private Window(long base, long cap) {
      this.base = base;
      this.cap = cap;
    }

    static Window of(Duration base, Duration cap) {
      long baseNanos = Checks.saturatedNanos(Checks.positive("base", base));
      long capNanos = Checks.saturatedNanos(Checks.positive("cap", cap));
      if (capNanos < baseNanos) {
        throw new IllegalArgumentException(
            "cap: " + cap + " is shorter than base " + base + "; it must be at least base");
      }
      return new Window(baseNanos, capNanos);
    }

    /** {@code min(cap, base * 2^(retry-1))}, without overflow. */
    long ceiling(int retry) {
      int shift = Math.max(0, Math.min(retry - 1, 62));
      return base > (cap >> shift) ? cap : base << shift;
    }
  }

  /** A strategy with a readable name for logs. */
  private static final class Named implements Backoff {
    private final String name;
    private final Backoff strategy;

    Named(String name, Backoff strategy) {
      this.name = name;
      this.strategy = strategy;
    }

    @Override
    public long delayNanos(int retry, long previousDelayNanos, RandomGenerator random) {
      return strategy.delayNanos(retry, previousDelayNanos, random);
    }

    @Override
    public String toString() {
      return name;
    }
  }
}
