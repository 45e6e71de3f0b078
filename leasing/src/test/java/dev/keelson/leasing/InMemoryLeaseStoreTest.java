package dev.keelson.leasing;

import dev.keelson.testing.ManualClock;
import java.time.Duration;

class InMemoryLeaseStoreTest extends LeaseStoreContract {

  private final ManualClock clock = ManualClock.create();
  private final InMemoryLeaseStore store = InMemoryLeaseStore.builder().clock(clock).build();

  @Override
  protected LeaseStore store() {
    return store;
  }

  @Override
  protected void letExpire(Duration ttl) {
    clock.advance(ttl);
  }
}
