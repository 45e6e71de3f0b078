package dev.keelson.leasing.jdbc;

import dev.keelson.leasing.LeaseStore;
import dev.keelson.leasing.PausedWorkersSafetyContract;
import dev.keelson.leasing.TaskQueue;
import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.WithPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeEach;

@WithPostgres
class JdbcPausedWorkersSafetyTest extends PausedWorkersSafetyContract {

  private final JdbcFence fence = JdbcFence.onDefaultTable();
  private PostgresDatabase database;
  private JdbcLeaseStore leases;
  private JdbcTaskQueue tasks;

  @BeforeEach
  void schema(PostgresDatabase database) {
    this.database = database;
    leases = JdbcLeaseStore.on(database.dataSource());
    leases.createSchema();
    fence.createSchema(database.dataSource());
    tasks = JdbcTaskQueue.builder(database.dataSource()).maxAttempts(100).build();
    tasks.createSchema();
  }

  @Override
  protected LeaseStore leaseStore() {
    return leases;
  }

  @Override
  protected boolean fencedWrite(String resource, long token) {
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      boolean admitted = fence.admit(connection, resource, token);
      connection.commit();
      return admitted;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  protected TaskQueue taskQueue() {
    return tasks;
  }
}
