package dev.keelson.micrometer;

import dev.keelson.testing.ServerTime;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.assertj.core.api.Assertions;

/** Waits for what a background thread (a relay, an election) does, up to a bound. */
final class Eventually {

  private Eventually() {}

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        Assertions.fail("not within 30 s: " + what);
      }
      ServerTime.letPass(Duration.ofMillis(20));
    }
  }
}
