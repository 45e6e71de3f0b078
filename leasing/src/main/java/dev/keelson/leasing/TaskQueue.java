package dev.keelson.leasing;

import java.time.Duration;
import java.util.List;

/**
 * A work queue with fenced claims, on PostgreSQL ({@code JdbcTaskQueue}) or Redis ({@code
 * RedisTaskQueue}); one contract test kit checks both. A claim is a lease on the task: it runs out
 * after the claim time and carries a fencing token; a task whose claim ran out can be claimed
 * again, with a larger token, and the old claim's completion is refused. Failed tasks come back
 * after a backoff; after the maximum attempts they are dead, with their last error.
 */
public interface TaskQueue {

  /**
   * Adds a task, due now.
   *
   * @param queue the queue: 1 to 128 characters, no '{' or '}'
   * @param payload what to do
   * @return the task's id
   */
  long enqueue(String queue, byte[] payload);

  /**
   * Claims up to {@code max} due tasks, oldest due first.
   *
   * @param queue the queue
   * @param owner the worker
   * @param max at most this many, 1 to 1000
   * @param claimTime how long the claims last, 10 ms to 1 day
   * @return the claimed tasks, maybe none
   */
  List<ClaimedTask> claim(String queue, String owner, int max, Duration claimTime);

  /**
   * @param task the claim
   * @return true if done; false if the claim is stale (the task was reclaimed): nothing changed
   */
  boolean complete(ClaimedTask task);

  /**
   * @param task the claim
   * @param error what went wrong (kept as the task's last error)
   * @return true if recorded (due again after a backoff, or dead after the maximum attempts); false
   *     if the claim is stale: nothing changed
   */
  boolean fail(ClaimedTask task, String error);
}
