package dev.keelson.leasing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.retry.Backoff;
import dev.keelson.testing.Concurrently;
import dev.keelson.testing.ServerTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every task queue promises, checked against each backend. */
public abstract class TaskQueueContract {

  private static final Duration LONG = Duration.ofMinutes(5);
  private static final Duration SHORT = Duration.ofMillis(300);

  protected static final int MAX_ATTEMPTS = 3;

  /**
   * 400 ms before the first retry, then 100 ms more than the delay before: a backoff that, like
   * decorrelated jitter, grows from the previous delay, which the queue must keep per task.
   */
  protected static final Backoff BACKOFF =
      (retry, previousNanos, random) ->
          previousNanos == 0
              ? Duration.ofMillis(400).toNanos()
              : previousNanos + Duration.ofMillis(100).toNanos();

  private String queue;

  /** Hears the queue's events: pass it to the queue's builder. */
  protected final RecordingTaskListener events = new RecordingTaskListener();

  /** A queue with {@link #MAX_ATTEMPTS}, {@link #BACKOFF} and {@link #events}. */
  protected abstract TaskQueue newQueue();

  /** The task's state: pending, done or dead. */
  protected abstract String state(String queue, long id);

  /** The task's last error. */
  protected abstract String lastError(String queue, long id);

  @BeforeEach
  void queue() {
    queue = "settlements-" + UUID.randomUUID();
  }

  /** The backend's queue; subclasses make it in their own set-up, which runs after this class's. */
  private TaskQueue tasks() {
    return newQueue();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void workersClaimUpToNDueTasksAndCompleteThemOnce() {
    for (int i = 0; i < 3; i++) {
      tasks().enqueue(queue, bytes("task " + i));
    }

    List<ClaimedTask> first = tasks().claim(queue, "w1", 2, LONG);
    List<ClaimedTask> second = tasks().claim(queue, "w2", 2, LONG);

    assertThat(first).hasSize(2);
    assertThat(second).hasSize(1);
    assertThat(first.get(0).attempt()).isEqualTo(1);
    assertThat(tasks().complete(first.get(0))).isTrue();
    assertThat(tasks().complete(first.get(0))).as("twice").isFalse();
    assertThat(tasks().claim(queue, "w3", 5, LONG)).isEmpty();
  }

  @Test
  void anAbandonedClaimIsReclaimedAndTheStaleCompletionIsRefused() {
    long id = tasks().enqueue(queue, bytes("settle"));
    ClaimedTask zombie = tasks().claim(queue, "killed-worker", 1, SHORT).get(0);

    ServerTime.letPass(SHORT);
    ClaimedTask rescuer = tasks().claim(queue, "rescuer", 1, LONG).get(0);

    assertThat(rescuer.id()).isEqualTo(id);
    assertThat(rescuer.token()).isGreaterThan(zombie.token());
    assertThat(rescuer.attempt()).isEqualTo(2);
    assertThat(tasks().complete(zombie)).isFalse();
    assertThat(tasks().fail(zombie, "late")).isFalse();
    assertThat(state(queue, id)).isEqualTo("pending");
    assertThat(tasks().complete(rescuer)).isTrue();
    assertThat(state(queue, id)).isEqualTo("done");
    assertThat(events.heard())
        .containsExactly(
            "claimed " + id + " token " + zombie.token(),
            "reclaimed " + id + " token " + rescuer.token() + " from killed-worker",
            "stale " + id + " token " + zombie.token(),
            "stale " + id + " token " + zombie.token(),
            "completed " + id + " token " + rescuer.token());
    assertThat(events.names()).containsExactly(((FencedTaskQueue) tasks()).name());
  }

  @Test
  void aFailedTaskComesBackAfterItsBackoffThenDiesAfterMaxAttempts() {
    long id = tasks().enqueue(queue, bytes("flaky"));

    for (int attempt = 1; attempt <= 3; attempt++) {
      List<ClaimedTask> claimed = tasks().claim(queue, "w", 1, LONG);
      assertThat(claimed).as("attempt %d", attempt).hasSize(1);
      assertThat(claimed.get(0).attempt()).isEqualTo(attempt);
      assertThat(tasks().fail(claimed.get(0), "boom " + attempt)).isTrue();
      if (attempt < 3) {
        assertThat(tasks().claim(queue, "w", 1, LONG)).as("during the backoff").isEmpty();
        ServerTime.letPass(Duration.ofMillis(300 + 100 * attempt));
      }
    }

    assertThat(state(queue, id)).isEqualTo("dead");
    assertThat(lastError(queue, id)).isEqualTo("boom 3");
    assertThat(tasks().claim(queue, "w", 1, LONG)).isEmpty();
    assertThat(events.heard())
        .as("a failed task's next claim is not a reclaim: the failure gave it back")
        .containsExactly(
            "claimed " + id + " token 1",
            "retry " + id + " in PT0.4S after boom 1",
            "claimed " + id + " token 2",
            "retry " + id + " in PT0.5S after boom 2",
            "claimed " + id + " token 3",
            "dead " + id + " after boom 3");
  }

  @Test
  void aTaskWhoseClaimsKeepRunningOutDiesToo() {
    long id = tasks().enqueue(queue, bytes("poison"));
    for (int i = 0; i < 3; i++) {
      assertThat(tasks().claim(queue, "crashing-worker", 1, SHORT)).hasSize(1);
      ServerTime.letPass(SHORT);
    }

    assertThat(tasks().claim(queue, "w", 1, LONG)).isEmpty();
    assertThat(state(queue, id)).isEqualTo("dead");
    assertThat(lastError(queue, id)).isEqualTo("claim ran out 3 times");
    assertThat(events.heard())
        .containsExactly(
            "claimed " + id + " token 1",
            "reclaimed " + id + " token 2 from crashing-worker",
            "reclaimed " + id + " token 3 from crashing-worker",
            "dead " + id + " after claim ran out 3 times");
  }

  @Test
  void concurrentWorkersCompleteEveryTaskExactlyOnce() {
    for (int i = 0; i < 100; i++) {
      tasks().enqueue(queue, bytes("task " + i));
    }
    Map<Long, AtomicInteger> completions = new ConcurrentHashMap<>();

    Concurrently.run(
        8,
        worker -> {
          List<ClaimedTask> claimed;
          while (!(claimed = tasks().claim(queue, "worker-" + worker, 5, LONG)).isEmpty()) {
            for (ClaimedTask task : claimed) {
              if (tasks().complete(task)) {
                completions.computeIfAbsent(task.id(), id -> new AtomicInteger()).incrementAndGet();
              }
            }
          }
        });

    assertThat(completions).hasSize(100);
    assertThat(completions.values()).allMatch(count -> count.get() == 1);
  }

  @Test
  void badInputIsRejectedByName() {
    assertThatThrownBy(() -> tasks().claim(queue, "w", 0, LONG)).hasMessageStartingWith("max: 0");
    assertThatThrownBy(() -> tasks().claim("", "w", 1, LONG)).hasMessageStartingWith("queue: ");
    assertThatThrownBy(() -> tasks().claim(queue, "w", 1, Duration.ofMillis(1)))
        .hasMessageStartingWith("claimTime: ");
    assertThatThrownBy(() -> tasks().claim(queue, "w", 1, Duration.ofDays(1_000_000)))
        .as("a claim time that would overflow the store's arithmetic")
        .hasMessageStartingWith("claimTime: ");
    assertThatThrownBy(() -> tasks().claim(queue + "\ud800", "w", 1, LONG))
        .hasMessageStartingWith("queue: ");
    assertThatThrownBy(() -> tasks().claim(queue, "", 1, LONG)).hasMessageStartingWith("owner: ");
    assertThatThrownBy(() -> tasks().enqueue("{x}", new byte[0])).hasMessageContaining("'{'");
  }
}
