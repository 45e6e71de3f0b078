package dev.keelson.modulepath;

import dev.keelson.micrometer.RetryMetrics;
import dev.keelson.retry.Retry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;

/** A metrics binder used from a named module: micrometer-core is an automatic module there. */
public final class MetricsTour {

  private MetricsTour() {}

  /**
   * @return the successful calls the binder counted for one call that failed once
   * @throws Exception if the retry gave up
   */
  public static double retriedOnceAndCounted() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AtomicInteger attempts = new AtomicInteger();
    Retry.builder()
        .name("tour")
        .listener(RetryMetrics.on(registry))
        .build()
        .call(
            () -> {
              if (attempts.incrementAndGet() == 1) {
                throw new IllegalStateException("the first attempt fails");
              }
              return "ok";
            });
    return registry
        .get("keelson.retry.calls")
        .tags("name", "tour", "outcome", "success")
        .counter()
        .count();
  }
}
