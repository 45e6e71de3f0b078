package dev.keelson.leasing.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.leasing.ClaimedTask;
import dev.keelson.leasing.TaskQueue;
import dev.keelson.leasing.TaskQueueContract;
import dev.keelson.testing.AutoCommit;
import dev.keelson.testing.FaultProxy;
import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.ServerTime;
import dev.keelson.testing.WithPostgres;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithPostgres
class JdbcTaskQueueTest extends TaskQueueContract {

  private PostgresDatabase database;
  private JdbcTaskQueue jdbc;

  @BeforeEach
  void schema(PostgresDatabase database) {
    this.database = database;
    jdbc =
        JdbcTaskQueue.builder(autoCommit().applyTo(database.dataSource()))
            .maxAttempts(MAX_ATTEMPTS)
            .backoff(BACKOFF)
            .listener(events)
            .build();
    jdbc.createSchema();
  }

  /** The mode the pool hands connections out in; a subclass runs the kit with it off. */
  protected AutoCommit autoCommit() {
    return AutoCommit.ON;
  }

  @Override
  protected TaskQueue newQueue() {
    return jdbc;
  }

  @Override
  protected String state(String queue, long id) {
    return column(id, "state");
  }

  @Override
  protected String lastError(String queue, long id) {
    return column(id, "last_error");
  }

  private String column(long id, String column) {
    try (Connection connection = database.connect();
        PreparedStatement statement =
            connection.prepareStatement("SELECT " + column + " FROM keelson_tasks WHERE id = ?")) {
      statement.setLong(1, id);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getString(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anEnqueueRolledBackLeavesNoTask() throws SQLException {
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      jdbc.enqueue(connection, "rolled-back", "never".getBytes(StandardCharsets.UTF_8));
      connection.rollback();
    }

    assertThat(jdbc.claim("rolled-back", "w", 10, Duration.ofMinutes(1))).isEmpty();
  }

  @Test
  void aConnectionCutMidClaimLosesNoTask() throws Exception {
    Duration claimTime = Duration.ofSeconds(1);
    // Cut at different points of the claim: while connecting, during the statements, around
    // the commit. Each time the claim either rolled back or committed: never a lost task.
    for (long cutAfterMillis : new long[] {30, 120, 200, 260, 320, 380}) {
      String queue = "cut-" + cutAfterMillis;
      Set<Long> enqueued = new HashSet<>();
      for (int i = 0; i < 5; i++) {
        enqueued.add(jdbc.enqueue(queue, ("task " + i).getBytes(StandardCharsets.UTF_8)));
      }
      try (FaultProxy proxy = FaultProxy.start(database.host(), database.port())) {
        proxy.addLatency(Duration.ofMillis(20));
        JdbcTaskQueue cut = JdbcTaskQueue.builder(database.dataSourceThrough(proxy)).build();
        CompletableFuture<List<ClaimedTask>> claim =
            CompletableFuture.supplyAsync(() -> cut.claim(queue, "cut-off", 5, claimTime));
        Thread.sleep(cutAfterMillis);
        proxy.resetAll();
        try {
          claim.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          assertThat(e.getCause()).hasMessageContaining("cannot claim tasks from queue '" + queue);
        }
      }

      ServerTime.letPass(claimTime);
      Set<Long> rescued = new HashSet<>();
      for (ClaimedTask task : jdbc.claim(queue, "rescuer", 10, Duration.ofMinutes(1))) {
        assertThat(jdbc.complete(task)).isTrue();
        rescued.add(task.id());
      }
      assertThat(rescued).as("cut after %d ms", cutAfterMillis).isEqualTo(enqueued);
    }
  }

  @Test
  void createSchemaUpgradesATableFromBeforeTheLastDelayColumn() throws SQLException {
    try (Connection connection = database.connect();
        java.sql.Statement ddl = connection.createStatement()) {
      ddl.execute(
          "CREATE TABLE old_tasks (id bigserial PRIMARY KEY, queue text NOT NULL, payload bytea"
              + " NOT NULL, state text NOT NULL DEFAULT 'pending', due_at timestamptz NOT NULL"
              + " DEFAULT now(), attempts integer NOT NULL DEFAULT 0, token bigint NOT NULL"
              + " DEFAULT 0, owner text, last_error text, created_at timestamptz NOT NULL"
              + " DEFAULT now())");
      ddl.execute("INSERT INTO old_tasks (queue, payload) VALUES ('upgraded', 'x')");
    }
    JdbcTaskQueue upgraded =
        JdbcTaskQueue.builder(autoCommit().applyTo(database.dataSource()))
            .table("old_tasks")
            .build();

    upgraded.createSchema();
    upgraded.createSchema(); // and again: nothing left to do

    List<ClaimedTask> claimed = upgraded.claim("upgraded", "w", 10, Duration.ofMinutes(1));
    assertThat(claimed).hasSize(1);
    assertThat(claimed.get(0).lastBackoff()).isZero();
    assertThat(upgraded.fail(claimed.get(0), "boom")).isTrue();
  }

  @Test
  void badSettingsAreRejectedByName() {
    assertThatThrownBy(() -> JdbcTaskQueue.builder(database.dataSource()).table("bad name"))
        .hasMessageStartingWith("table: ");
    assertThatThrownBy(() -> JdbcTaskQueue.builder(database.dataSource()).maxAttempts(0))
        .hasMessageStartingWith("maxAttempts: 0");
  }

  @Test
  void aQueueIsNamedByItsTableUnlessTheBuilderNamesIt() {
    assertThat(JdbcTaskQueue.on(database.dataSource()).name()).isEqualTo("keelson_tasks");
    assertThat(JdbcTaskQueue.builder(database.dataSource()).table("old_tasks").build().name())
        .isEqualTo("old_tasks");
    assertThat(JdbcTaskQueue.builder(database.dataSource()).name("settlements").build().name())
        .isEqualTo("settlements");
    assertThatThrownBy(() -> JdbcTaskQueue.builder(database.dataSource()).name(" "))
        .hasMessage("name: must not be blank");
  }
}
