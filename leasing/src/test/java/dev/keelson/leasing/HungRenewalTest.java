package dev.keelson.leasing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A renewal that hangs (a store that ignores its timeout, as a JDBC pool waiting for a connection
 * does) on the scheduler's only thread: the holder still learns of the loss at its local deadline,
 * before the store can grant the resource to anyone else.
 */
class HungRenewalTest {

  private static final Duration TTL = Duration.ofSeconds(2);

  private final InMemoryLeaseStore memory = InMemoryLeaseStore.withDefaults();
  private final CountDownLatch partitionHeals = new CountDownLatch(1);
  private final ScheduledExecutorService oneThread = Executors.newSingleThreadScheduledExecutor();

  /** Grants normally; every renewal hangs until the partition heals, whatever its timeout. */
  private final LeaseStore partitioned =
      new LeaseStore() {
        @Override
        public Optional<Grant> tryAcquire(
            String resource, String owner, Duration ttl, Duration timeout) {
          return memory.tryAcquire(resource, owner, ttl, timeout);
        }

        @Override
        public Optional<Grant> renew(Grant grant, Duration ttl, Duration timeout) {
          try {
            partitionHeals.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new IllegalStateException("the partition healed too late");
        }

        @Override
        public boolean release(Grant grant, Duration timeout) {
          return memory.release(grant, timeout);
        }
      };

  @AfterEach
  void heal() {
    partitionHeals.countDown();
    oneThread.shutdownNow();
  }

  @Test
  void theLossIsReportedAtTheLocalDeadlineBeforeAnotherOwnerCanTakeTheResource() throws Exception {
    Leaser leaser = Leaser.builder(partitioned).owner("partitioned").build();
    Lease lease = leaser.tryAcquire("job", TTL).orElseThrow();
    CompletableFuture<Long> lostAt = new CompletableFuture<>();

    leaser.keepAlive(lease, oneThread, lost -> lostAt.complete(System.nanoTime()));

    long reported = lostAt.get(10, TimeUnit.SECONDS);
    boolean someoneElseCouldTakeIt =
        memory.tryAcquire("job", "successor", TTL, Duration.ofSeconds(1)).isPresent();
    assertThat(someoneElseCouldTakeIt)
        .as("the store still held the lease when its holder learned of the loss")
        .isFalse();
    assertThat(Duration.ofNanos(reported - lease.deadlineNanos()))
        .as("reported at the deadline, not when the hung renewal returns")
        .isBetween(Duration.ZERO, Duration.ofMillis(150));
  }

  @Test
  void aSlowLossListenerDelaysNoOtherLeasesNews() throws Exception {
    Leaser leaser = Leaser.builder(partitioned).owner("partitioned").build();
    Lease first = leaser.tryAcquire("first", TTL).orElseThrow();
    Lease second = leaser.tryAcquire("second", TTL).orElseThrow();
    CountDownLatch releaseSlowListener = new CountDownLatch(1);
    CompletableFuture<Long> secondLostAt = new CompletableFuture<>();
    ScheduledExecutorService twoThreads = Executors.newScheduledThreadPool(2);
    try {
      leaser.keepAlive(first, twoThreads, lost -> awaitQuietly(releaseSlowListener));
      leaser.keepAlive(second, twoThreads, lost -> secondLostAt.complete(System.nanoTime()));

      long reported = secondLostAt.get(10, TimeUnit.SECONDS);

      assertThat(Duration.ofNanos(reported - second.deadlineNanos()))
          .as("told at its own deadline while the first lease's listener still runs")
          .isBetween(Duration.ZERO, Duration.ofMillis(150));
    } finally {
      releaseSlowListener.countDown();
      twoThreads.shutdownNow();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void anElectedLeaderThatCannotRenewStepsDownBeforeItsLeaseExpires() throws Exception {
    Leaser leaser = Leaser.builder(partitioned).owner("leader").build();
    CompletableFuture<Void> gained = new CompletableFuture<>();
    CompletableFuture<Void> lost = new CompletableFuture<>();
    LeaderElection election =
        LeaderElection.builder(leaser, "leader", oneThread)
            .ttl(TTL)
            .listener(
                new LeadershipListener() {
                  @Override
                  public void onGained(String election, long token) {
                    gained.complete(null);
                  }

                  @Override
                  public void onLost(String election) {
                    lost.complete(null);
                  }
                })
            .start();
    gained.get(10, TimeUnit.SECONDS);

    lost.get(10, TimeUnit.SECONDS);

    assertThat(election.isLeader()).isFalse();
    assertThat(memory.tryAcquire("leader", "successor", TTL, Duration.ofSeconds(1)))
        .as("no successor could be elected yet when the leader stepped down")
        .isEmpty();
  }
}
