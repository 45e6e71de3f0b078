package dev.keelson.leasing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.testing.ManualClock;
import dev.keelson.testing.ManualScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class KeepAliveTest {

  private static final Duration TTL = Duration.ofSeconds(30);

  private final ManualClock clock = ManualClock.create();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final InMemoryLeaseStore memory = InMemoryLeaseStore.builder().clock(clock).build();
  private final List<Lease> lost = new ArrayList<>();

  /** A store that can be made slow (every call fails) on demand. */
  private final class FlakyStore implements LeaseStore {
    final AtomicBoolean down = new AtomicBoolean();

    @Override
    public Optional<Grant> tryAcquire(
        String resource, String owner, Duration ttl, Duration timeout) {
      return memory.tryAcquire(resource, owner, ttl, timeout);
    }

    @Override
    public Optional<Grant> renew(Grant grant, Duration ttl, Duration timeout) {
      if (down.get()) {
        throw new IllegalStateException("store timed out");
      }
      return memory.renew(grant, ttl, timeout);
    }

    @Override
    public boolean release(Grant grant, Duration timeout) {
      return memory.release(grant, timeout);
    }
  }

  private final FlakyStore store = new FlakyStore();
  private final List<String> events = new ArrayList<>();
  private final Leaser leaser =
      Leaser.builder(store)
          .owner("me")
          .ticker(clock::nanoTime)
          .listener(
              new LeaseListener() {
                @Override
                public void onAcquired(String leaser, Lease lease) {
                  events.add("acquired");
                }

                @Override
                public void onRenewed(String leaser, Lease lease) {
                  events.add("renewed");
                }

                @Override
                public void onLost(String leaser, Lease lease) {
                  events.add("lost");
                }

                @Override
                public void onReleased(String leaser, Lease lease) {
                  events.add("released");
                }
              })
          .build();

  @Test
  void renewsAboutEveryThirdOfTheTtlAndKeepsTheLeaseForever() {
    Lease lease = leaser.tryAcquire("job", TTL).orElseThrow();
    KeepAlive keepAlive = leaser.keepAlive(lease, scheduler, lost::add);

    scheduler.advance(Duration.ofMinutes(10));

    assertThat(lost).isEmpty();
    assertThat(keepAlive.current().isHeld()).isTrue();
    assertThat(keepAlive.current().token()).isEqualTo(lease.token());
    assertThat(keepAlive.current().expiresAt()).isAfter(Instant.parse("2020-01-01T00:10:00Z"));
  }

  @Test
  void survivesASlowStoreWhileTheDeadlineAllows() {
    KeepAlive keepAlive =
        leaser.keepAlive(leaser.tryAcquire("job", TTL).orElseThrow(), scheduler, lost::add);
    store.down.set(true);

    scheduler.advance(Duration.ofSeconds(15));
    store.down.set(false);
    scheduler.advance(Duration.ofMinutes(2));

    assertThat(lost).isEmpty();
    assertThat(keepAlive.isActive()).isTrue();
  }

  @Test
  void reportsTheLossWhenItCannotRenewBeforeTheDeadline() {
    KeepAlive keepAlive =
        leaser.keepAlive(leaser.tryAcquire("job", TTL).orElseThrow(), scheduler, lost::add);
    store.down.set(true);

    scheduler.advance(Duration.ofMinutes(2));

    assertThat(lost).hasSize(1);
    assertThat(keepAlive.isActive()).isFalse();
    assertThat(scheduler.pending()).isZero();
    assertThat(events).containsExactly("acquired", "lost");
  }

  @Test
  void reportsTheLossWhenTheStoreRefuses() {
    Lease lease = leaser.tryAcquire("job", TTL).orElseThrow();
    KeepAlive keepAlive = leaser.keepAlive(lease, scheduler, lost::add);
    memory.release(new LeaseStore.Grant("job", "me", lease.token(), lease.expiresAt()), TTL);
    memory.tryAcquire("job", "someone-else", TTL, TTL);

    scheduler.advance(TTL);

    assertThat(lost).hasSize(1);
    assertThat(keepAlive.isActive()).isFalse();
  }

  @Test
  void closingStopsAndReleases() {
    KeepAlive keepAlive =
        leaser.keepAlive(leaser.tryAcquire("job", TTL).orElseThrow(), scheduler, lost::add);

    scheduler.advance(Duration.ofSeconds(25));
    keepAlive.close();

    assertThat(scheduler.pending()).isZero();
    assertThat(memory.tryAcquire("job", "next", TTL, TTL)).isPresent();
    assertThat(lost).isEmpty();
    assertThat(events).containsExactly("acquired", "renewed", "renewed", "released");
  }
}
