package dev.keelson.leasing.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.leasing.ClaimedTask;
import dev.keelson.retry.Backoff;
import dev.keelson.testing.Concurrently;
import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.ServerTime;
import dev.keelson.testing.WithPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithPostgres
class JdbcTaskQueueTest {

  private static final Duration LONG = Duration.ofMinutes(5);
  private static final Duration SHORT = Duration.ofMillis(300);

  private JdbcTaskQueue tasks;
  private PostgresDatabase database;
  private String queue;

  @BeforeEach
  void schema(PostgresDatabase database) {
    this.database = database;
    tasks =
        JdbcTaskQueue.builder(database.dataSource())
            .maxAttempts(3)
            .backoff(Backoff.fixed(Duration.ofMillis(400)))
            .build();
    tasks.createSchema();
    queue = "settlements-" + UUID.randomUUID();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private String column(long id, String column) throws SQLException {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery("SELECT " + column + " FROM keelson_tasks WHERE id = " + id)) {
      row.next();
      return row.getString(1);
    }
  }

  @Test
  void workersClaimUpToNDueTasksAndCompleteThemOnce() {
    for (int i = 0; i < 3; i++) {
      tasks.enqueue(queue, bytes("task " + i));
    }

    List<ClaimedTask> first = tasks.claim(queue, "w1", 2, LONG);
    List<ClaimedTask> second = tasks.claim(queue, "w2", 2, LONG);

    assertThat(first).hasSize(2);
    assertThat(second).hasSize(1);
    assertThat(first.get(0).attempt()).isEqualTo(1);
    assertThat(tasks.complete(first.get(0))).isTrue();
    assertThat(tasks.complete(first.get(0))).as("twice").isFalse();
    assertThat(tasks.claim(queue, "w3", 5, LONG)).isEmpty();
  }

  @Test
  void anAbandonedClaimIsReclaimedAndTheStaleCompletionIsRefused() throws SQLException {
    long id = tasks.enqueue(queue, bytes("settle"));
    ClaimedTask zombie = tasks.claim(queue, "killed-worker", 1, SHORT).get(0);

    ServerTime.letPass(SHORT);
    ClaimedTask rescuer = tasks.claim(queue, "rescuer", 1, LONG).get(0);

    assertThat(rescuer.id()).isEqualTo(id);
    assertThat(rescuer.token()).isGreaterThan(zombie.token());
    assertThat(rescuer.attempt()).isEqualTo(2);
    assertThat(tasks.complete(zombie)).isFalse();
    assertThat(tasks.fail(zombie, "late")).isFalse();
    assertThat(column(id, "state")).isEqualTo("pending");
    assertThat(tasks.complete(rescuer)).isTrue();
    assertThat(column(id, "state")).isEqualTo("done");
  }

  @Test
  void aFailedTaskComesBackAfterItsBackoffThenDiesAfterMaxAttempts() throws SQLException {
    long id = tasks.enqueue(queue, bytes("flaky"));

    for (int attempt = 1; attempt <= 3; attempt++) {
      List<ClaimedTask> claimed = tasks.claim(queue, "w", 1, LONG);
      assertThat(claimed).as("attempt %d", attempt).hasSize(1);
      assertThat(claimed.get(0).attempt()).isEqualTo(attempt);
      assertThat(tasks.fail(claimed.get(0), "boom " + attempt)).isTrue();
      if (attempt < 3) {
        assertThat(tasks.claim(queue, "w", 1, LONG)).as("during the backoff").isEmpty();
        ServerTime.letPass(Duration.ofMillis(400));
      }
    }

    assertThat(column(id, "state")).isEqualTo("dead");
    assertThat(column(id, "last_error")).isEqualTo("boom 3");
    assertThat(tasks.claim(queue, "w", 1, LONG)).isEmpty();
  }

  @Test
  void aTaskWhoseClaimsKeepRunningOutDiesToo() throws SQLException {
    long id = tasks.enqueue(queue, bytes("poison"));
    for (int i = 0; i < 3; i++) {
      assertThat(tasks.claim(queue, "crashing-worker", 1, SHORT)).hasSize(1);
      ServerTime.letPass(SHORT);
    }

    assertThat(tasks.claim(queue, "w", 1, LONG)).isEmpty();
    assertThat(column(id, "state")).isEqualTo("dead");
    assertThat(column(id, "last_error")).isEqualTo("claim ran out 3 times");
  }

  @Test
  void concurrentWorkersCompleteEveryTaskExactlyOnce() {
    for (int i = 0; i < 100; i++) {
      tasks.enqueue(queue, bytes("task " + i));
    }
    Map<Long, AtomicInteger> completions = new ConcurrentHashMap<>();

    Concurrently.run(
        8,
        worker -> {
          List<ClaimedTask> claimed;
          while (!(claimed = tasks.claim(queue, "worker-" + worker, 5, LONG)).isEmpty()) {
            for (ClaimedTask task : claimed) {
              if (tasks.complete(task)) {
                completions.computeIfAbsent(task.id(), id -> new AtomicInteger()).incrementAndGet();
              }
            }
          }
        });

    assertThat(completions).hasSize(100);
    assertThat(completions.values()).allMatch(count -> count.get() == 1);
  }

  @Test
  void anEnqueueRolledBackLeavesNoTask() throws SQLException {
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      tasks.enqueue(connection, queue, bytes("never"));
      connection.rollback();
    }

    assertThat(tasks.claim(queue, "w", 10, LONG)).isEmpty();
  }

  @Test
  void badInputIsRejectedByName() {
    assertThatThrownBy(() -> tasks.claim(queue, "w", 0, LONG)).hasMessageStartingWith("max: 0");
    assertThatThrownBy(() -> tasks.claim("", "w", 1, LONG)).hasMessageStartingWith("queue: ");
    assertThatThrownBy(() -> tasks.claim(queue, "w", 1, Duration.ofMillis(1)))
        .hasMessageStartingWith("claimTime: ");
    assertThatThrownBy(() -> JdbcTaskQueue.builder(database.dataSource()).table("bad name"))
        .hasMessageStartingWith("table: ");
    assertThatThrownBy(() -> JdbcTaskQueue.builder(database.dataSource()).maxAttempts(0))
        .hasMessageStartingWith("maxAttempts: 0");
  }
}
