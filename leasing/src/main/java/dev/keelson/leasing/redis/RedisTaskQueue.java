package dev.keelson.leasing.redis;

import dev.keelson.core.redis.RedisScript;
import dev.keelson.core.redis.RedisScriptRunner;
import dev.keelson.core.redis.ScriptResult;
import dev.keelson.leasing.ClaimedTask;
import dev.keelson.leasing.TaskQueue;
import dev.keelson.retry.Backoff;
import io.lettuce.core.api.StatefulConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * A work queue on Redis, standalone or Cluster: each operation one script, timed by the server. Per
 * queue, in one hash slot: {@code <prefix>tasks:{<queue>}:due} (a sorted set of pending task ids by
 * due time; a claim moves its task to the claim's end), {@code :data} (a hash of each task's
 * payload, attempts, token, owner and last error), {@code :seq} (ids) and {@code :dead} (a sorted
 * set of dead task ids). Completed tasks are removed; dead ones keep their data. Every key expires
 * 30 days after the queue's last operation. Payloads are stored base64-encoded.
 */
public final class RedisTaskQueue implements TaskQueue {

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.:-]{0,64}");
  private static final long RETENTION_MILLIS = Duration.ofDays(30).toMillis();
  private static final RedisScript<Long> ENQUEUE =
      RedisScript.fromResource(RedisTaskQueue.class, "task_enqueue.lua", ScriptResult.LONG);
  private static final RedisScript<List<Object>> CLAIM =
      RedisScript.fromResource(RedisTaskQueue.class, "task_claim.lua", ScriptResult.LIST);
  private static final RedisScript<Long> FINISH =
      RedisScript.fromResource(RedisTaskQueue.class, "task_finish.lua", ScriptResult.LONG);

  private final RedisScriptRunner runner;
  private final String keyPrefix;
  private final int maxAttempts;
  private final Backoff backoff;

  private RedisTaskQueue(Builder builder) {
    this.runner = RedisScriptRunner.on(builder.connection);
    this.keyPrefix = builder.keyPrefix;
    this.maxAttempts = builder.maxAttempts;
    this.backoff = builder.backoff;
  }

  public static Builder builder(StatefulConnection<?, ?> connection) {
    return new Builder(connection);
  }

  @Override
  public long enqueue(String queue, byte[] payload) {
    TaskQueue.checkQueue(queue);
    Objects.requireNonNull(payload, "payload");
    return runner.run(
        ENQUEUE, keys(queue), Base64.getEncoder().encodeToString(payload), RETENTION_MILLIS);
  }

  @Override
  public List<ClaimedTask> claim(String queue, String owner, int max, Duration claimTime) {
    TaskQueue.checkClaim(queue, owner, max, claimTime);
    List<Object> reply =
        runner.run(
            CLAIM, keys(queue), owner, max, claimTime.toMillis(), maxAttempts, RETENTION_MILLIS);
    List<ClaimedTask> claimed = new ArrayList<>(reply.size() / 4);
    for (int i = 0; i < reply.size(); i += 4) {
      claimed.add(
          new ClaimedTask(
              (Long) reply.get(i),
              queue,
              Base64.getDecoder().decode((String) reply.get(i + 1)),
              (Long) reply.get(i + 2),
              ((Long) reply.get(i + 3)).intValue()));
    }
    return claimed;
  }

  @Override
  public boolean complete(ClaimedTask task) {
    return finish(task, "done", "", 0);
  }

  @Override
  public boolean fail(ClaimedTask task, String error) {
    Objects.requireNonNull(error, "error");
    if (task.attempt() >= maxAttempts) {
      return finish(task, "dead", error, 0);
    }
    long delay = backoff.delayNanos(task.attempt(), 0, ThreadLocalRandom.current());
    return finish(task, "retry", error, Math.max(1, delay / 1_000_000));
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
  public static final class Builder {
    private final StatefulConnection<?, ?> connection;
    private String keyPrefix = "keelson:";
    private int maxAttempts = 5;
    private Backoff backoff = Backoff.fullJitter(Duration.ofSeconds(1), Duration.ofMinutes(10));

    private Builder(StatefulConnection<?, ?> connection) {
      this.connection = Objects.requireNonNull(connection, "connection");
    }

    /**
     * @param keyPrefix put before every key (default {@code keelson:})
     * @return this builder
     */
    public Builder keyPrefix(String keyPrefix) {
      Objects.requireNonNull(keyPrefix, "keyPrefix");
      if (!PREFIX.matcher(keyPrefix).matches()) {
        throw new IllegalArgumentException(
            "keyPrefix: '"
                + keyPrefix
                + "' must be up to 64 letters, digits, '_', '.', ':' or '-'");
      }
      this.keyPrefix = keyPrefix;
      return this;
    }

    /**
     * @param maxAttempts claims a task gets before it is dead, 1 to 100 (default 5)
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1 || maxAttempts > 100) {
        throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " is not in 1..100");
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /**
     * @param backoff the wait before a failed task is due again (default full jitter, 1 s base, 10
     *     min cap)
     * @return this builder
     */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    public RedisTaskQueue build() {
      return new RedisTaskQueue(this);
    }
  }
}
