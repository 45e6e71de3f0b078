package dev.keelson.leasing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.testing.ManualClock;
import dev.keelson.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A listener that throws is a bug of its own: leases, keep-alives and elections go on. */
class ThrowingListenersTest {

  private static final Duration TTL = Duration.ofSeconds(30);

  private final ManualClock clock = ManualClock.create();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final InMemoryLeaseStore store = InMemoryLeaseStore.builder().clock(clock).build();

  private final LeaseListener throwing =
      new LeaseListener() {
        @Override
        public void onAcquired(String leaser, Lease lease) {
          throw new IllegalStateException("acquired");
        }

        @Override
        public void onRenewed(String leaser, Lease lease) {
          throw new IllegalStateException("renewed");
        }

        @Override
        public void onReleased(String leaser, Lease lease) {
          throw new IllegalStateException("released");
        }
      };

  private final Leaser leaser =
      Leaser.builder(store).owner("me").ticker(clock::nanoTime).listener(throwing).build();

  @Test
  void leasesAreTakenRenewedAndReleasedAsIfTheListenerWereQuiet() {
    Lease lease = leaser.tryAcquire("job", TTL).orElseThrow();
    assertThat(leaser.renew(lease)).isPresent();
    List<Lease> lost = new ArrayList<>();
    KeepAlive keepAlive =
        leaser.keepAlive(
            lease,
            scheduler,
            gone -> {
              lost.add(gone);
              throw new IllegalStateException("onLost");
            });

    scheduler.advance(Duration.ofMinutes(5));
    assertThat(keepAlive.isActive()).as("renewals went on past the throwing onRenewed").isTrue();
    assertThat(keepAlive.current().isHeld()).isTrue();
    keepAlive.close();

    assertThat(store.tryAcquire("job", "next", TTL, TTL)).as("released").isPresent();
    assertThat(lost).isEmpty();
  }

  @Test
  void anElectionWhoseListenerThrowsStillLeadsAndKeepsItsLease() {
    LeaderElection election =
        LeaderElection.builder(leaser, "leader", scheduler)
            .ttl(TTL)
            .listener(
                new LeadershipListener() {
                  @Override
                  public void onGained(String election, long token) {
                    throw new IllegalStateException("onGained");
                  }
                })
            .start();

    scheduler.advance(Duration.ofMinutes(5));

    assertThat(election.isLeader()).isTrue();
    election.close();
    assertThat(election.isLeader()).isFalse();
  }
}
