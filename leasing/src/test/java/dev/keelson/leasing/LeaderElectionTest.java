package dev.keelson.leasing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.testing.ManualClock;
import dev.keelson.testing.ManualScheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LeaderElectionTest {

  private static final Duration TTL = Duration.ofSeconds(15);

  private final ManualClock clock = ManualClock.create();
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final InMemoryLeaseStore store = InMemoryLeaseStore.builder().clock(clock).build();
  private final List<String> events = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private LeaderElection candidate(String name) {
    return candidate(name, store);
  }

  private LeaderElection candidate(String name, LeaseStore through) {
    Leaser leaser = Leaser.builder(through).owner(name).ticker(clock::nanoTime).build();
    return LeaderElection.builder(leaser, "leader", scheduler)
        .ttl(TTL)
        .listener(
            new LeadershipListener() {
              @Override
              public void onGained(String election, long token) {
                events.add(name + " leads with " + token);
              }

              @Override
              public void onLost(String election) {
                events.add(name + " lost");
              }
            })
        .start();
  }

  @Test
  void oneLeadsTheOtherWaitsAndTakesOverAfterAGracefulStepDown() {
    LeaderElection alice = candidate("alice");
    LeaderElection bob = candidate("bob");
    scheduler.advance(Duration.ofSeconds(1));

    assertThat(alice.isLeader()).isTrue();
    assertThat(bob.isLeader()).isFalse();
    assertThat(bob.token()).isEmpty();
    long aliceToken = alice.token().orElseThrow();

    scheduler.advance(Duration.ofMinutes(2));
    assertThat(alice.isLeader()).as("keep-alive holds the lead").isTrue();

    alice.close();
    scheduler.advance(TTL);

    assertThat(alice.isLeader()).isFalse();
    assertThat(bob.isLeader()).isTrue();
    assertThat(bob.token().orElseThrow()).isGreaterThan(aliceToken);
    assertThat(events).containsExactly("alice leads with 1", "alice lost", "bob leads with 2");
    bob.close();
  }

  @Test
  void aLeaderThatCannotRenewStepsDownAndAnotherTakesOverWithALargerToken() {
    LeaseStore cutOff =
        new LeaseStore() {
          @Override
          public java.util.Optional<Grant> tryAcquire(
              String resource, String owner, Duration ttl, Duration timeout) {
            return store.tryAcquire(resource, owner, ttl, timeout);
          }

          @Override
          public java.util.Optional<Grant> renew(Grant grant, Duration ttl, Duration timeout) {
            throw new IllegalStateException("partitioned from the store");
          }

          @Override
          public boolean release(Grant grant, Duration timeout) {
            throw new IllegalStateException("partitioned from the store");
          }
        };
    LeaderElection alice = candidate("alice", cutOff);
    scheduler.advance(Duration.ofSeconds(1));
    LeaderElection bob = candidate("bob");

    scheduler.advance(Duration.ofSeconds(30));

    assertThat(alice.isLeader()).isFalse();
    assertThat(bob.isLeader()).isTrue();
    assertThat(events).containsExactly("alice leads with 1", "alice lost", "bob leads with 2");
    alice.close();
    bob.close();
  }

  @Test
  void eventsCarryTheElectionsNameToEveryCombinedListener() {
    List<String> heard = new CopyOnWriteArrayList<>();
    LeadershipListener byName =
        new LeadershipListener() {
          @Override
          public void onGained(String election, long token) {
            heard.add(election + " gained " + token);
          }

          @Override
          public void onLost(String election) {
            heard.add(election + " lost");
          }
        };
    LeadershipListener broken =
        new LeadershipListener() {
          @Override
          public void onGained(String election, long token) {
            throw new IllegalStateException("a bug in a metrics listener");
          }
        };
    Leaser leaser = Leaser.builder(store).ticker(clock::nanoTime).build();
    LeaderElection scheduling =
        LeaderElection.builder(leaser, "leader", scheduler)
            .name("scheduling")
            .listener(LeadershipListener.of(broken, byName))
            .start();
    scheduler.advance(Duration.ofSeconds(1));
    scheduling.close();

    assertThat(heard).containsExactly("scheduling gained 1", "scheduling lost");
    assertThat(scheduling.name()).isEqualTo("scheduling");
    assertThat(LeadershipListener.of()).isSameAs(LeadershipListener.NONE);
    assertThat(LeadershipListener.of(byName)).isSameAs(byName);
  }

  @Test
  void withoutAListenerTheDefaultsStillElectAndBadSettingsAreRefused() {
    List<Duration> ttls = new CopyOnWriteArrayList<>();
    Leaser leaser =
        Leaser.builder(store)
            .ticker(clock::nanoTime)
            .listener(
                new LeaseListener() {
                  @Override
                  public void onAcquired(String leaser, Lease lease) {
                    ttls.add(lease.ttl());
                  }
                })
            .build();
    LeaderElection quiet = LeaderElection.builder(leaser, "leader", scheduler).start();
    scheduler.advance(Duration.ofSeconds(1));
    assertThat(quiet.isLeader()).isTrue();
    assertThat(quiet.name()).isEqualTo("default");
    assertThat(ttls).containsExactly(Duration.ofSeconds(15));
    quiet.close();

    assertThatThrownBy(() -> LeaderElection.builder(null, "leader", scheduler))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("leaser");
    assertThatThrownBy(() -> LeaderElection.builder(leaser, "", scheduler))
        .hasMessageStartingWith("resource: ");
    assertThatThrownBy(() -> LeaderElection.builder(leaser, "leader", null))
        .hasMessage("scheduler");
    LeaderElection.Builder builder = LeaderElection.builder(leaser, "leader", scheduler);
    assertThatThrownBy(() -> builder.ttl(Duration.ZERO)).hasMessageStartingWith("ttl: ");
    assertThatThrownBy(() -> builder.name(" ")).hasMessageStartingWith("name: ");
    assertThatThrownBy(() -> builder.listener(null)).hasMessage("listener");
    builder.start().close();
    assertThatThrownBy(builder::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("this builder has started its candidate already");
  }

  @Test
  void aStepDownWhileTheGainIsBeingToldIsHeardAfterIt() throws Exception {
    CountDownLatch gainBeingTold = new CountDownLatch(1);
    CountDownLatch letGainEnd = new CountDownLatch(1);
    Leaser leaser = Leaser.builder(store).ticker(clock::nanoTime).build();
    LeaderElection election =
        LeaderElection.builder(leaser, "leader", scheduler)
            .listener(
                new LeadershipListener() {
                  @Override
                  public void onGained(String election, long token) {
                    gainBeingTold.countDown();
                    try {
                      letGainEnd.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    events.add("gained");
                  }

                  @Override
                  public void onLost(String election) {
                    events.add("lost");
                  }
                })
            .start();
    Thread leading = new Thread(scheduler::runNext, "leading");
    leading.start();
    assertThat(gainBeingTold.await(10, TimeUnit.SECONDS)).isTrue();

    Thread closing = new Thread(election::close, "closing");
    closing.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (closing.isAlive()
        && closing.getState() != Thread.State.BLOCKED
        && System.nanoTime() < deadline) {
      Thread.onSpinWait(); // the step-down waits for the gain to be told, or (wrongly) is told
    }
    letGainEnd.countDown();
    leading.join(10_000);
    closing.join(10_000);

    assertThat(events).containsExactly("gained", "lost");
    assertThat(election.isLeader()).isFalse();
  }
}
