package dev.keelson.leasing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.testing.Concurrently;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What every lease store promises, checked against each backend. */
public abstract class LeaseStoreContract {

  protected static final Duration LONG = Duration.ofMinutes(5);
  protected static final Duration SHORT = Duration.ofMillis(300);

  protected abstract LeaseStore store();

  /** Waits (or moves the clock) until a grant of {@code ttl} made now has expired. */
  protected abstract void letExpire(Duration ttl);

  private static String resource() {
    return "job-" + UUID.randomUUID();
  }

  @Test
  void aHeldResourceIsNotGrantedToAnother() {
    String job = resource();
    Optional<LeaseStore.Grant> first = store().tryAcquire(job, "alice", LONG);

    assertThat(first).isPresent();
    assertThat(first.get().owner()).isEqualTo("alice");
    assertThat(store().tryAcquire(job, "bob", LONG)).isEmpty();
    assertThat(store().tryAcquire(job, "alice", LONG)).as("not even to its holder").isEmpty();
  }

  @Test
  void renewAndReleaseByAnyoneButTheHolderFailAndChangeNothing() {
    String job = resource();
    LeaseStore.Grant alice = store().tryAcquire(job, "alice", LONG).orElseThrow();
    LeaseStore.Grant forged = new LeaseStore.Grant(job, "bob", alice.token(), alice.expiresAt());
    LeaseStore.Grant stale =
        new LeaseStore.Grant(job, "alice", alice.token() - 1, alice.expiresAt());

    assertThat(store().renew(forged, LONG)).isEmpty();
    assertThat(store().renew(stale, LONG)).isEmpty();
    assertThat(store().release(forged)).isFalse();
    assertThat(store().release(stale)).isFalse();

    assertThat(store().tryAcquire(job, "bob", LONG)).isEmpty();
    assertThat(store().renew(alice, LONG)).map(LeaseStore.Grant::token).hasValue(alice.token());
  }

  @Test
  void releaseHandsTheResourceOverAtOnceWithALargerToken() {
    String job = resource();
    LeaseStore.Grant alice = store().tryAcquire(job, "alice", LONG).orElseThrow();

    assertThat(store().release(alice)).isTrue();
    assertThat(store().release(alice)).as("a second release").isFalse();
    LeaseStore.Grant bob = store().tryAcquire(job, "bob", LONG).orElseThrow();

    assertThat(bob.token()).isGreaterThan(alice.token());
    assertThat(store().renew(alice, LONG)).isEmpty();
  }

  @Test
  void expiryHandsTheResourceOverAndTheOldGrantIsDead() {
    String job = resource();
    LeaseStore.Grant alice = store().tryAcquire(job, "alice", SHORT).orElseThrow();

    letExpire(SHORT);

    LeaseStore.Grant bob = store().tryAcquire(job, "bob", LONG).orElseThrow();
    assertThat(bob.token()).isGreaterThan(alice.token());
    assertThat(store().renew(alice, LONG)).isEmpty();
    assertThat(store().release(alice)).isFalse();
  }

  @Test
  void tokensStrictlyIncreaseOverEveryGrantByAnyone() {
    String job = resource();
    long previous = Long.MIN_VALUE;
    for (int i = 0; i < 20; i++) {
      LeaseStore.Grant grant = store().tryAcquire(job, "owner-" + i % 3, LONG).orElseThrow();
      assertThat(grant.token()).isGreaterThan(previous);
      previous = grant.token();
      assertThat(store().release(grant)).isTrue();
    }
  }

  @Test
  void ofManyConcurrentClaimantsExactlyOneWins() {
    String job = resource();
    AtomicInteger winners = new AtomicInteger();

    Concurrently.run(
        8,
        worker -> {
          if (store().tryAcquire(job, "worker-" + worker, LONG).isPresent()) {
            winners.incrementAndGet();
          }
        });

    assertThat(winners).hasValue(1);
  }
}
