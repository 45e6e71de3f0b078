package dev.keelson.leasing.jdbc;

import dev.keelson.leasing.LeaseStore;
import dev.keelson.leasing.PausedWorkersSafetyContract;
import dev.keelson.leasing.TaskQueue;
import dev.keelson.testing.AutoCommit;
import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.WithPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;

@WithPostgres
class JdbcPausedWorkersSafetyTest extends PausedWorkersSafetyContract {

  private final JdbcFence fence = JdbcFence.withDefaults();
  private PostgresDatabase database;
  private JdbcLeaseStore leases;
  private JdbcTaskQueue tasks;

  @BeforeEach
  void schema(PostgresDatabase database) {
    this.database = database;
    DataSource pool = autoCommit().applyTo(database.dataSource());
    leases = JdbcLeaseStore.on(pool);
    leases.createSchema();
    fence.createSchema(pool);
    tasks = JdbcTaskQueue.builder(pool).maxAttempts(100).build();
    tasks.createSchema();
  }

  /** The mode the pool hands connections out in; a subclass runs the kit with it off. */
  protected AutoCommit autoCommit() {
    return AutoCommit.ON;
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
