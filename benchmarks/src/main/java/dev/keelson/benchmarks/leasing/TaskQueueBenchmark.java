package dev.keelson.benchmarks.leasing;

import dev.keelson.benchmarks.BenchmarkGroup;
import dev.keelson.leasing.ClaimedTask;
import dev.keelson.leasing.TaskQueue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * One task's whole life per operation: enqueue, claim, complete (three round trips), on Redis and
 * on PostgreSQL; compared to a bare single-row INSERT + COMMIT.
 */
@BenchmarkGroup(
    name = "task-queue",
    title = "A task's life (enqueue, claim, complete), on Redis and PostgreSQL",
    baseline = "PostgresBenchmark.insertCommit")
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TaskQueueBenchmark {

  private static final Duration CLAIM = Duration.ofMinutes(1);

  @Benchmark
  public boolean redisTask(LeasingState state) {
    return lifeOfATask(state.redisTasks, "bench-" + Thread.currentThread().getId());
  }

  @Benchmark
  public boolean postgresTask(LeasingState state) {
    return lifeOfATask(state.postgresTasks, "bench-" + Thread.currentThread().getId());
  }

  private static boolean lifeOfATask(TaskQueue tasks, String queue) {
    tasks.enqueue(queue, LeasingState.PAYLOAD);
    List<ClaimedTask> claimed = tasks.claim(queue, "worker", 1, CLAIM);
    return tasks.complete(claimed.get(0));
  }
}
