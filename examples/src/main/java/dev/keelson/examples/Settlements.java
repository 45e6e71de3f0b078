package dev.keelson.examples;

import dev.keelson.leasing.ClaimedTask;
import dev.keelson.leasing.TaskListener;
import dev.keelson.leasing.jdbc.JdbcFence;
import dev.keelson.leasing.jdbc.JdbcTaskQueue;
import dev.keelson.outbox.Outbox;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Settlement workers. Each payment's settlement task is claimed by one worker under a fenced lease;
 * the settlement store admits a write only with a token at least as new as any it has seen, so a
 * worker that stalls past its claim (GC, a slow bank) cannot settle a payment another worker has
 * taken over. The settlement and its event commit together.
 */
final class Settlements implements AutoCloseable {

  /** Long enough for a settlement, short enough that a stalled worker's task moves on quickly. */
  static final Duration CLAIM = Duration.ofMillis(500);

  final AtomicInteger takeovers = new AtomicInteger();
  final AtomicInteger staleWritesRefused = new AtomicInteger();
  private final DataSource database;
  private final Outbox outbox;
  private final JdbcFence fence = JdbcFence.withDefaults();
  private final JdbcTaskQueue tasks;
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean running = true;

  Settlements(DataSource database, Outbox outbox, Metrics metrics) {
    this.database = database;
    this.outbox = outbox;
    fence.createSchema(database);
    this.tasks =
        JdbcTaskQueue.builder(database)
            .listener(
                TaskListener.of(
                    metrics.leasing, // the meters, and the demo's own count beside them
                    new TaskListener() {
                      @Override
                      public void onReclaimed(
                          String taskQueue, ClaimedTask task, String previousOwner) {
                        takeovers.incrementAndGet();
                      }
                    }))
            .build();
    tasks.createSchema();
  }

  JdbcTaskQueue tasks() {
    return tasks;
  }

  /** Starts a pool of workers that claim, settle and complete. */
  void start(int count) {
    for (int i = 0; i < count; i++) {
      String name = "worker-" + i;
      Thread worker = new Thread(() -> work(name), "settlement-" + name);
      worker.setDaemon(true);
      workers.add(worker);
      worker.start();
    }
  }

  private void work(String worker) {
    while (running) {
      List<ClaimedTask> claimed = tasks.claim("settlements", worker, 5, CLAIM);
      if (claimed.isEmpty()) {
        pause(Duration.ofMillis(50));
      }
      for (ClaimedTask task : claimed) {
        settle(task, worker);
      }
    }
  }

  /**
   * A worker that claims one task and then stalls past its claim, as a paused or half-dead worker
   * would, and then tries to settle anyway: its write must be refused. Claims now, on the caller's
   * thread; stalls and writes on a thread of its own.
   *
   * @return the stalled worker's thread
   */
  Thread stallOneWorker() {
    List<ClaimedTask> claimed = tasks.claim("settlements", "stalled-worker", 1, CLAIM);
    Thread stalled =
        new Thread(
            () -> {
              pause(CLAIM.multipliedBy(4)); // meanwhile a healthy worker takes the task over
              claimed.forEach(task -> settle(task, "stalled-worker"));
            },
            "stalled-worker");
    stalled.start();
    return stalled;
  }

  private void settle(ClaimedTask task, String worker) {
    UUID payment = UUID.fromString(new String(task.payload(), StandardCharsets.UTF_8));
    try (Connection connection = database.getConnection()) {
      connection.setAutoCommit(false);
      if (!fence.admit(connection, "settlement:" + payment, task.token())) {
        connection.rollback();
        staleWritesRefused.incrementAndGet();
        return;
      }
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO settlements (payment_id, settled_by, token) VALUES (?, ?, ?)"
                  + " ON CONFLICT (payment_id) DO NOTHING")) {
        insert.setObject(1, payment);
        insert.setString(2, worker);
        insert.setLong(3, task.token());
        if (insert.executeUpdate() == 1) {
          outbox.append(connection, Events.settled(payment, worker));
        }
      }
      connection.commit();
    } catch (SQLException e) {
      tasks.fail(task, e.toString()); // due again after the backoff
      return;
    }
    tasks.complete(task); // false for a stale claim: the task is someone else's now
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    for (Thread worker : workers) {
      try {
        worker.join(CLAIM.multipliedBy(4).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
