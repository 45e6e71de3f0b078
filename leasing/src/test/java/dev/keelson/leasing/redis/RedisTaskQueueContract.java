package dev.keelson.leasing.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.leasing.ClaimedTask;
import dev.keelson.leasing.TaskQueueContract;
import io.lettuce.core.cluster.api.sync.RedisClusterCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The task queue contract on Redis, with what only Redis can do to a queue: lose its data. */
abstract class RedisTaskQueueContract extends TaskQueueContract {

  /** Commands on the server or Cluster under test. */
  abstract RedisClusterCommands<String, String> commands();

  /** The key prefix the queue was built with. */
  abstract String keyPrefix();

  private String key(String queue, String part) {
    return keyPrefix() + "tasks:{" + queue + "}:" + part;
  }

  @Override
  protected String state(String queue, long id) {
    if (commands().zscore(key(queue, "due"), Long.toString(id)) != null) {
      return "pending";
    }
    return commands().zscore(key(queue, "dead"), Long.toString(id)) != null ? "dead" : "done";
  }

  @Override
  protected String lastError(String queue, long id) {
    return commands().hget(key(queue, "data"), id + ":error");
  }

  @Test
  void aTaskWhoseDataVanishedIsBuriedWithAClearErrorAndTheQueueGoesOn() {
    String queue = "evicted-" + System.nanoTime();
    long lost = newQueue().enqueue(queue, "lost".getBytes(StandardCharsets.UTF_8));
    long kept = newQueue().enqueue(queue, "kept".getBytes(StandardCharsets.UTF_8));
    // What an eviction of the data hash (or a hand-made HDEL) leaves behind: ids without data.
    commands().hdel(key(queue, "data"), lost + ":payload", lost + ":attempts", lost + ":token");

    List<ClaimedTask> claimed = newQueue().claim(queue, "w", 10, Duration.ofMinutes(1));

    assertThat(claimed).extracting(ClaimedTask::id).containsExactly(kept);
    assertThat(state(queue, lost)).isEqualTo("dead");
    assertThat(lastError(queue, lost)).contains("task data is gone from Redis");
    assertThat(newQueue().claim(queue, "w", 10, Duration.ofMinutes(1)))
        .as("later claims are not wedged")
        .isEmpty();
    assertThat(newQueue().complete(claimed.get(0))).isTrue();
    assertThat(events.heard()).contains("dead " + lost + " after " + lastError(queue, lost));
  }

  @Test
  void aQueueWhoseWholeDataHashVanishedBuriesEveryTaskAndTakesNewOnes() {
    String queue = "evicted-hash-" + System.nanoTime();
    long first = newQueue().enqueue(queue, "a".getBytes(StandardCharsets.UTF_8));
    long second = newQueue().enqueue(queue, "b".getBytes(StandardCharsets.UTF_8));
    commands().del(key(queue, "data"));

    assertThat(newQueue().claim(queue, "w", 10, Duration.ofMinutes(1))).isEmpty();
    assertThat(state(queue, first)).isEqualTo("dead");
    assertThat(state(queue, second)).isEqualTo("dead");

    long fresh = newQueue().enqueue(queue, "c".getBytes(StandardCharsets.UTF_8));
    assertThat(newQueue().claim(queue, "w", 10, Duration.ofMinutes(1)))
        .extracting(ClaimedTask::id)
        .containsExactly(fresh);
  }
}
