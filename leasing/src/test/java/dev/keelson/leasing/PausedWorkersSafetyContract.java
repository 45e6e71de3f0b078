package dev.keelson.leasing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.testing.Concurrently;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The safety promise on a real backend: workers whose threads stall longer than their lease (a GC
 * pause, a slow disk) at random points keep trying to act, and fencing stops every stale act. A
 * stalled worker checks its lease, then stalls, then writes: the classic race a TTL alone loses.
 */
public abstract class PausedWorkersSafetyContract {

  private static final Duration TTL = Duration.ofMillis(150);
  // Three leases long: by the time a stalled holder writes, the next holder has written.
  private static final long STALL_MILLIS = 450;
  private static final int WORKERS = 6;

  /** The backend's lease store, on the store's own clock. */
  protected abstract LeaseStore leaseStore();

  /**
   * Writes to a resource protected by the backend's fence.
   *
   * @return true if the fence accepted the token
   */
  protected abstract boolean fencedWrite(String resource, long token);

  /** The backend's task queue, with at least 100 attempts per task. */
  protected abstract TaskQueue taskQueue();

  /** One fenced write as the resource saw it. */
  private record Write(long token, boolean accepted, long highestBefore) {}

  @Test
  void stalledLeaseHoldersNeverLandAWriteOlderThanOneTheResourceHasSeen() {
    String resource = "ledger-" + UUID.randomUUID();
    List<Write> writes = new ArrayList<>();
    long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();

    Concurrently.run(
        WORKERS,
        worker -> {
          Leaser leaser = Leaser.builder(leaseStore()).owner("worker-" + worker).build();
          while (System.nanoTime() < end) {
            Optional<Lease> lease = leaser.tryAcquire(resource, TTL);
            if (lease.isEmpty()) {
              pause(1);
              continue;
            }
            for (int write = 0; write < 3 && lease.get().isHeld(); write++) {
              stall();
              // The resource records writes in the order it took them: one writer at a time.
              synchronized (writes) {
                long highest =
                    writes.stream()
                        .filter(Write::accepted)
                        .mapToLong(Write::token)
                        .max()
                        .orElse(Long.MIN_VALUE);
                long token = lease.get().token();
                writes.add(new Write(token, fencedWrite(resource, token), highest));
              }
            }
            leaser.release(lease.get());
          }
        });

    assertThat(writes)
        .filteredOn(Write::accepted)
        .allSatisfy(
            write -> assertThat(write.token()).isGreaterThanOrEqualTo(write.highestBefore()));
    assertThat(writes)
        .filteredOn(write -> !write.accepted())
        .as("only stale tokens are refused")
        .allSatisfy(write -> assertThat(write.token()).isLessThan(write.highestBefore()))
        .as("stalled holders came back and were refused")
        .isNotEmpty();
    assertThat(writes.stream().filter(Write::accepted).mapToLong(Write::token).distinct().count())
        .as("the lease changed hands many times")
        .isGreaterThan(5);
  }

  @Test
  void stalledWorkersNeverCompleteATaskTwice() {
    String queue = "settlements-" + UUID.randomUUID();
    int taskCount = 60;
    for (int i = 0; i < taskCount; i++) {
      taskQueue().enqueue(queue, ("task " + i).getBytes(StandardCharsets.UTF_8));
    }
    Map<Long, AtomicInteger> completions = new ConcurrentHashMap<>();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();

    Concurrently.run(
        WORKERS,
        worker -> {
          while (done.get() < taskCount && System.nanoTime() < end) {
            List<ClaimedTask> claimed = taskQueue().claim(queue, "worker-" + worker, 2, TTL);
            if (claimed.isEmpty()) {
              pause(5);
            }
            for (ClaimedTask task : claimed) {
              stall();
              if (taskQueue().complete(task)) {
                completions.computeIfAbsent(task.id(), id -> new AtomicInteger()).incrementAndGet();
                done.incrementAndGet();
              } else {
                refused.incrementAndGet();
              }
            }
          }
        });

    assertThat(completions).as("every task completed").hasSize(taskCount);
    assertThat(completions.values()).allSatisfy(count -> assertThat(count).hasValue(1));
    assertThat(refused).as("stalled workers' completions were refused").hasPositiveValue();
  }

  /** Sometimes stalls past the lease, mostly not at all. */
  private static void stall() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    pause(random.nextInt(4) == 0 ? STALL_MILLIS : random.nextInt(3));
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
