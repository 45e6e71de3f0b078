package dev.keelson.leasing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
  protected static final Duration TIMEOUT = Duration.ofSeconds(10);

  protected abstract LeaseStore store();

  /** Waits (or moves the clock) until a grant of {@code ttl} made now has expired. */
  protected abstract void letExpire(Duration ttl);

  private static String resource() {
    return "job-" + UUID.randomUUID();
  }

  @Test
  void aHeldResourceIsNotGrantedToAnother() {
    String job = resource();
    Optional<LeaseStore.Grant> first = store().tryAcquire(job, "alice", LONG, TIMEOUT);

    assertThat(first).isPresent();
    assertThat(first.get().owner()).isEqualTo("alice");
    assertThat(store().tryAcquire(job, "bob", LONG, TIMEOUT)).isEmpty();
    assertThat(store().tryAcquire(job, "alice", LONG, TIMEOUT))
        .as("not even to its holder")
        .isEmpty();
  }

  @Test
  void renewAndReleaseByAnyoneButTheHolderFailAndChangeNothing() {
    String job = resource();
    LeaseStore.Grant alice = store().tryAcquire(job, "alice", LONG, TIMEOUT).orElseThrow();
    LeaseStore.Grant forged = new LeaseStore.Grant(job, "bob", alice.token(), alice.expiresAt());
    LeaseStore.Grant stale =
        new LeaseStore.Grant(job, "alice", alice.token() - 1, alice.expiresAt());

    assertThat(store().renew(forged, LONG, TIMEOUT)).isEmpty();
    assertThat(store().renew(stale, LONG, TIMEOUT)).isEmpty();
    assertThat(store().release(forged, TIMEOUT)).isFalse();
    assertThat(store().release(stale, TIMEOUT)).isFalse();

    assertThat(store().tryAcquire(job, "bob", LONG, TIMEOUT)).isEmpty();
    assertThat(store().renew(alice, LONG, TIMEOUT))
        .map(LeaseStore.Grant::token)
        .hasValue(alice.token());
  }

  @Test
  void releaseHandsTheResourceOverAtOnceWithALargerToken() {
    String job = resource();
    LeaseStore.Grant alice = store().tryAcquire(job, "alice", LONG, TIMEOUT).orElseThrow();

    assertThat(store().release(alice, TIMEOUT)).isTrue();
    assertThat(store().release(alice, TIMEOUT)).as("a second release").isFalse();
    LeaseStore.Grant bob = store().tryAcquire(job, "bob", LONG, TIMEOUT).orElseThrow();

    assertThat(bob.token()).isGreaterThan(alice.token());
    assertThat(store().renew(alice, LONG, TIMEOUT)).isEmpty();
  }

  @Test
  void expiryHandsTheResourceOverAndTheOldGrantIsDead() {
    String job = resource();
    LeaseStore.Grant alice = store().tryAcquire(job, "alice", SHORT, TIMEOUT).orElseThrow();

    letExpire(SHORT);

    LeaseStore.Grant bob = store().tryAcquire(job, "bob", LONG, TIMEOUT).orElseThrow();
    assertThat(bob.token()).isGreaterThan(alice.token());
    assertThat(store().renew(alice, LONG, TIMEOUT)).isEmpty();
    assertThat(store().release(alice, TIMEOUT)).isFalse();
  }

  @Test
  void tokensStrictlyIncreaseOverEveryGrantByAnyone() {
    String job = resource();
    long previous = Long.MIN_VALUE;
    for (int i = 0; i < 20; i++) {
      LeaseStore.Grant grant =
          store().tryAcquire(job, "owner-" + i % 3, LONG, TIMEOUT).orElseThrow();
      assertThat(grant.token()).isGreaterThan(previous);
      previous = grant.token();
      assertThat(store().release(grant, TIMEOUT)).isTrue();
    }
  }

  @Test
  void ofManyConcurrentClaimantsExactlyOneWins() {
    String job = resource();
    AtomicInteger winners = new AtomicInteger();

    Concurrently.run(
        8,
        worker -> {
          if (store().tryAcquire(job, "worker-" + worker, LONG, TIMEOUT).isPresent()) {
            winners.incrementAndGet();
          }
        });

    assertThat(winners).hasValue(1);
  }

  @Test
  void aStoreCalledDirectlyRejectsWhatALeaserWouldAndChangesNothing() {
    String job = resource();

    assertThatThrownBy(() -> store().tryAcquire(job, "alice", Duration.ofNanos(500_000), TIMEOUT))
        .as("a ttl under 1 ms would become PEXPIRE 0 or an instant expiry")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("ttl: ");
    assertThatThrownBy(() -> store().tryAcquire(job, "alice", Duration.ofDays(10_000), TIMEOUT))
        .hasMessageStartingWith("ttl: ");
    assertThatThrownBy(() -> store().tryAcquire(job, "alice", LONG, Duration.ZERO))
        .hasMessageStartingWith("timeout: ");
    assertThatThrownBy(() -> store().tryAcquire("", "alice", LONG, TIMEOUT))
        .hasMessageStartingWith("resource: ");
    assertThatThrownBy(() -> store().tryAcquire("{" + job + "}", "alice", LONG, TIMEOUT))
        .hasMessageStartingWith("resource: ");
    assertThatThrownBy(() -> store().tryAcquire(job + "\ud800", "alice", LONG, TIMEOUT))
        .as("Lettuce and the drivers would send '?'")
        .hasMessageStartingWith("resource: ");
    assertThatThrownBy(() -> store().tryAcquire(job, "", LONG, TIMEOUT))
        .hasMessageStartingWith("owner: ");
    assertThatThrownBy(() -> store().tryAcquire(job, "x".repeat(129), LONG, TIMEOUT))
        .hasMessageStartingWith("owner: ");

    LeaseStore.Grant alice = store().tryAcquire(job, "alice", LONG, TIMEOUT).orElseThrow();
    assertThatThrownBy(() -> store().renew(alice, Duration.ofNanos(1), TIMEOUT))
        .hasMessageStartingWith("ttl: ");
    assertThatThrownBy(() -> store().release(alice, Duration.ofNanos(-1)))
        .hasMessageStartingWith("timeout: ");
    assertThat(store().renew(alice, LONG, TIMEOUT))
        .as("the refused calls changed nothing")
        .map(LeaseStore.Grant::token)
        .hasValue(alice.token());
  }

  @Test
  void resourcesThatDifferOnlyInAnUnpairedSurrogateNeverShareAGrant() {
    String job = resource();
    assertThat(store().tryAcquire(job + "?", "alice", LONG, TIMEOUT)).isPresent();
    assertThatThrownBy(() -> store().tryAcquire(job + "\udc00", "bob", LONG, TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
