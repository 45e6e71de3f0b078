package dev.keelson.leasing.redis;

import dev.keelson.core.EvictionCheck;
import dev.keelson.core.internal.Names;
import dev.keelson.core.internal.redis.EvictionPolicy;
import dev.keelson.core.internal.redis.KeyPrefix;
import dev.keelson.core.internal.redis.RedisScript;
import dev.keelson.core.internal.redis.RedisScriptRunner;
import dev.keelson.core.internal.redis.ScriptResult;
import dev.keelson.leasing.ClaimedTask;
import dev.keelson.leasing.FencedTaskQueue;
import dev.keelson.leasing.internal.LeaseChecks;
import io.lettuce.core.api.StatefulConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A work queue on Redis, standalone or Cluster: each operation one script, timed by the server. Per
 * queue, in one hash slot: {@code <prefix>tasks:{<queue>}:due} (a sorted set of pending task ids by
 * due time; a claim moves its task to the claim's end), {@code :data} (a hash of each task's
 * payload, attempts, token, owner and last error), {@code :seq} (ids) and {@code :dead} (a sorted
 * set of dead task ids). Completed tasks are removed; dead ones keep their data. Every key expires
 * 30 days after the queue's last operation. Payloads are stored base64-encoded.
 */
public final class RedisTaskQueue extends FencedTaskQueue {

  private static final Logger log = LoggerFactory.getLogger(RedisTaskQueue.class);

  private static final long RETENTION_MILLIS = Duration.ofDays(30).toMillis();
  private static final RedisScript<Long> ENQUEUE =
      RedisScript.fromResource(RedisTaskQueue.class, "task_enqueue.lua", ScriptResult.LONG);
  private static final RedisScript<List<Object>> CLAIM =
      RedisScript.fromResource(RedisTaskQueue.class, "task_claim.lua", ScriptResult.LIST);
  private static final RedisScript<Long> FINISH =
      RedisScript.fromResource(RedisTaskQueue.class, "task_finish.lua", ScriptResult.LONG);

  private final RedisScriptRunner runner;
  private final String keyPrefix;

  private RedisTaskQueue(Builder builder) {
    super(builder, Names.DEFAULT);
    EvictionPolicy.check(
        builder.evictionCheck,
        builder.connection,
        "a task queue (evicted task data loses tasks or runs them twice)");
    this.runner = RedisScriptRunner.on(builder.connection);
    this.keyPrefix = builder.keyPrefix;
  }

  /**
   * A queue with the defaults (see {@link Builder}): {@code builder(connection).build()}.
   *
   * @param connection a standalone or Cluster connection, any codec; the caller owns it
   * @return the queue
   * @throws IllegalStateException if Redis may evict keys (see {@link EvictionCheck#REFUSE})
   */
  public static RedisTaskQueue on(StatefulConnection<?, ?> connection) {
    return builder(connection).build();
  }

  /**
   * @param connection a standalone or Cluster connection, any codec; the caller owns it
   * @return a builder
   */
  public static Builder builder(StatefulConnection<?, ?> connection) {
    return new Builder(connection);
  }

  @Override
  public long enqueue(String queue, byte[] payload) {
    LeaseChecks.queue(queue);
    Objects.requireNonNull(payload, "payload");
    return runner.run(
        ENQUEUE, keys(queue), Base64.getEncoder().encodeToString(payload), RETENTION_MILLIS);
  }

  @Override
  protected Claims claimDue(
      String queue, String owner, int max, Duration claimTime, int maxAttempts) {
    List<Object> reply =
        runner.run(
            CLAIM, keys(queue), owner, max, claimTime.toMillis(), maxAttempts, RETENTION_MILLIS);
    List<?> claimedReply = (List<?>) reply.get(0);
    List<?> buriedReply = (List<?>) reply.get(1);
    List<Claim> claimed = new ArrayList<>(claimedReply.size() / 6);
    for (int i = 0; i < claimedReply.size(); i += 6) {
      ClaimedTask task =
          new ClaimedTask(
              (Long) claimedReply.get(i),
              queue,
              Base64.getDecoder().decode((String) claimedReply.get(i + 1)),
              (Long) claimedReply.get(i + 2),
              ((Long) claimedReply.get(i + 3)).intValue(),
              Duration.ofMillis((Long) claimedReply.get(i + 5)));
      String previousOwner = (String) claimedReply.get(i + 4);
      claimed.add(new Claim(task, previousOwner.isEmpty() ? null : previousOwner));
    }
    List<Buried> buried = new ArrayList<>(buriedReply.size() / 2);
    for (int i = 0; i < buriedReply.size(); i += 2) {
      buried.add(new Buried((Long) buriedReply.get(i), (String) buriedReply.get(i + 1)));
    }
    List<?> vanished = (List<?>) reply.get(2);
    if (!vanished.isEmpty()) {
      log.error(
          "tasks {} of queue '{}' had lost their data in Redis (evicted under a maxmemory-policy"
              + " other than noeviction, or deleted by hand) and were moved to the dead set",
          vanished,
          queue);
    }
    return new Claims(claimed, buried);
  }

  @Override
  protected boolean markDone(ClaimedTask task) {
    return finish(task, "done", "", 0);
  }

  @Override
  protected boolean markRetry(ClaimedTask task, String error, Duration delay) {
    return finish(task, "retry", error, Math.max(1, delay.toMillis()));
  }

  @Override
  protected boolean markDead(ClaimedTask task, String error) {
    return finish(task, "dead", error, 0);
  }

  private boolean finish(ClaimedTask task, String outcome, String error, long delayMillis) {
    return runner.run(
            FINISH,
            keys(task.queue()),
            Long.toString(task.id()),
            Long.toString(task.token()),
            outcome,
            error,
            delayMillis)
        == 1L;
  }

  /** The queue's keys, in one hash slot: due, data, seq, dead. */
  private List<String> keys(String queue) {
    String base = keyPrefix + "tasks:{" + queue + "}:";
    return List.of(base + "due", base + "data", base + "seq", base + "dead");
  }

  /** Settings of a {@link RedisTaskQueue}. */
  public static final class Builder extends FencedTaskQueue.Settings<Builder> {
    private final StatefulConnection<?, ?> connection;
    private String keyPrefix = KeyPrefix.DEFAULT;
    private EvictionCheck evictionCheck = EvictionCheck.REFUSE;

    private Builder(StatefulConnection<?, ?> connection) {
      this.connection = Objects.requireNonNull(connection, "connection");
    }

    @Override
    protected Builder self() {
      return this;
    }

    /**
     * @param keyPrefix put before every key (default {@code keelson:})
     * @return this builder
     */
    public Builder keyPrefix(String keyPrefix) {
      this.keyPrefix = KeyPrefix.check(keyPrefix);
      return this;
    }

    /**
     * @param evictionCheck what to do if Redis may evict keys (default {@link
     *     EvictionCheck#REFUSE}: evicted task data loses tasks or runs them twice)
     * @return this builder
     */
    public Builder evictionCheck(EvictionCheck evictionCheck) {
      this.evictionCheck = Objects.requireNonNull(evictionCheck, "evictionCheck");
      return this;
    }

    /**
     * @return the queue
     * @throws IllegalStateException if Redis may evict keys and the check is {@link
     *     EvictionCheck#REFUSE}
     */
    public RedisTaskQueue build() {
      return new RedisTaskQueue(this);
    }
  }
}
