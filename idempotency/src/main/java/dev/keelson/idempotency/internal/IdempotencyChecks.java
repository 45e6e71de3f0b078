package dev.keelson.idempotency.internal;

import dev.keelson.core.internal.Checks;
import dev.keelson.idempotency.IdempotencyStore;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The argument checks every idempotency store shares, so they refuse the same input. */
public final class IdempotencyChecks {

  private IdempotencyChecks() {}

  /**
   * @param owner an owner token
   * @return the owner
   * @throws IllegalArgumentException unless it is 1 to {@link IdempotencyStore#MAX_OWNER_LENGTH}
   *     characters without an unpaired surrogate
   */
  public static String owner(@Nullable String owner) {
    return Checks.text("owner", owner, IdempotencyStore.MAX_OWNER_LENGTH);
  }

  /**
   * @param lease a lease, or null when the call has none
   * @param retention a retention
   * @throws IllegalArgumentException unless each is 1 ms to {@link IdempotencyStore#LONGEST}, and
   *     the lease shorter than the retention
   */
  public static void durations(@Nullable Duration lease, Duration retention) {
    check("retention", retention);
    if (lease != null) {
      check("lease", lease);
      if (lease.compareTo(retention) >= 0) {
        throw new IllegalArgumentException(
            "lease: " + lease + " must be shorter than the retention " + retention);
      }
    }
  }

  private static void check(String name, Duration value) {
    Checks.between(name, value, Duration.ofMillis(1), IdempotencyStore.LONGEST);
  }
}
