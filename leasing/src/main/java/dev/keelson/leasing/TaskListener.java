package dev.keelson.leasing;

import dev.keelson.core.internal.Listeners;
import java.time.Duration;

/**
 * Hears what a task queue does with its tasks, for metrics and logs. Every method has an empty
 * default; implementations must be thread-safe and quick, and are called on the worker's thread
 * after the store has answered. Payloads and errors may hold personal data: do not log them at INFO
 * or above. A listener that throws is logged (once per kind at WARN) and ignored: it never changes
 * an outcome or stops a keep-alive, an election or a claim. Every event carries the {@link
 * FencedTaskQueue#name() name} of the task queue it comes from, so one listener can serve many.
 */
public interface TaskListener {

  /** Hears nothing. */
  TaskListener NONE = new TaskListener() {};

  /**
   * One listener that tells each of these in turn; one that throws does not stop the next.
   *
   * @param listeners the listeners, in order
   * @return the combined listener ({@link #NONE} for none, the listener itself for one)
   * @throws NullPointerException if a listener is null
   */
  static TaskListener of(TaskListener... listeners) {
    return Listeners.combine(listeners, NONE, CombinedTaskListener::new);
  }

  /** A worker claimed a task that was due (new, or back after a failure's backoff). */
  default void onClaimed(String taskQueue, ClaimedTask task) {}

  /**
   * A worker claimed a task whose previous claim ran out without a completion or a failure: its
   * worker died, stalled or was cut off, and its late completion will be refused.
   *
   * @param task the new claim
   * @param previousOwner the worker whose claim ran out
   */
  default void onReclaimed(String taskQueue, ClaimedTask task, String previousOwner) {}

  default void onCompleted(String taskQueue, ClaimedTask task) {}

  /**
   * A failed task will be due again after a backoff.
   *
   * @param task the failed claim
   * @param error the error it failed with
   * @param delay the backoff
   */
  default void onRetryScheduled(String taskQueue, ClaimedTask task, String error, Duration delay) {}

  /**
   * A task went to the dead state: it failed on its last attempt, or its claims ran out that many
   * times.
   *
   * @param queue its queue
   * @param id the task
   * @param lastError its last error
   */
  default void onDead(String taskQueue, String queue, long id, String lastError) {}

  /** A completion or failure was refused because its claim is stale: nothing changed. */
  default void onStaleClaim(String taskQueue, ClaimedTask task) {}
}
