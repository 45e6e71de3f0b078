package dev.keelson.micrometer;

import dev.keelson.core.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.function.Function;

/**
 * The builder of a binder whose health looks back over a window of time ({@link OutboxMetrics},
 * {@link LeasingMetrics}): it reads a ticker. Not for extension outside this package.
 *
 * @param <B> the builder's own type
 * @param <M> the binder it builds
 */
public abstract class HealthWindowBuilder<B extends HealthWindowBuilder<B, M>, M>
    extends MetricsBuilder<B, M> {

  private Ticker ticker = Ticker.system();

  HealthWindowBuilder(MeterRegistry registry, Function<B, M> binder) {
    super(registry, binder);
  }

  /**
   * @param ticker the time source of the health's windows (default {@link Ticker#system()})
   * @return this builder
   */
  public B ticker(Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    return self();
  }

  Ticker ticker() {
    return ticker;
  }
}
