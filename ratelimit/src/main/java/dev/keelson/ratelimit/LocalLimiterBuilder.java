package dev.keelson.ratelimit;

import dev.keelson.core.Ticker;
import dev.keelson.core.internal.Checks;
import dev.keelson.core.internal.Names;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The settings every rate limiter in this JVM shares: its name, its time source and its listener;
 * {@link Keyed} adds how many keys it keeps. Every value has a default and is checked when set.
 *
 * @param <B> the concrete builder
 */
public abstract class LocalLimiterBuilder<B extends LocalLimiterBuilder<B>> {

  /** The rule that names the limiter unless {@link #name} does: a hierarchy's innermost level. */
  private final RateLimit namingRule;

  private @Nullable String name;
  Ticker ticker = Ticker.system();
  RateLimitListener listener = RateLimitListener.NONE;

  LocalLimiterBuilder(RateLimit namingRule) {
    this.namingRule = namingRule;
  }

  @SuppressWarnings("unchecked") // B is this builder's own class, as every subclass declares
  final B self() {
    return (B) this;
  }

  /**
   * @param name the name the listener's events carry: 1 to 64 characters (default: the name of the
   *     rule, or of a hierarchy's innermost level)
   * @return this builder
   */
  public B name(String name) {
    this.name = Names.check(name);
    return self();
  }

  /**
   * @param ticker the time source (default the system's; tests pass a manual one)
   * @return this builder
   */
  public B ticker(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    return self();
  }

  /**
   * @param listener hears every decision (default {@link RateLimitListener#NONE}, which costs
   *     nothing: no event is built)
   * @return this builder
   */
  public B listener(RateLimitListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return self();
  }

  /** The name set, or the naming rule's. */
  String effectiveName() {
    return name != null ? name : namingRule.name();
  }

  /**
   * The settings of a limiter that keeps a state per key.
   *
   * @param <B> the concrete builder
   */
  public abstract static class Keyed<B extends Keyed<B>> extends LocalLimiterBuilder<B> {

    long maximumKeys = 1_000_000;

    Keyed(RateLimit namingRule) {
      super(namingRule);
    }

    /**
     * @param maximumKeys keys kept at most (per level of a hierarchy), at least 1 (default
     *     1,000,000); beyond it the least recently used key is evicted, which forgets its usage
     * @return this builder
     */
    public B maximumKeys(long maximumKeys) {
      this.maximumKeys = Checks.atLeast("maximumKeys", maximumKeys, 1);
      return self();
    }
  }
}
