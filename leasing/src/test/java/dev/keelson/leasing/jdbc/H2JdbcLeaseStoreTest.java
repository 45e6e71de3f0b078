package dev.keelson.leasing.jdbc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.leasing.LeaseStore;
import dev.keelson.leasing.LeaseStoreContract;
import dev.keelson.testing.AutoCommit;
import dev.keelson.testing.H2Database;
import dev.keelson.testing.ServerTime;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The lease contract on H2, the embedded default. */
class H2JdbcLeaseStoreTest extends LeaseStoreContract {

  private final DataSource database = autoCommit().applyTo(H2Database.newInMemory());
  private final JdbcLeaseStore store = JdbcLeaseStore.on(database);

  H2JdbcLeaseStoreTest() {
    store.createSchema();
  }

  /** The mode connections come in; a subclass runs the kit with it off. */
  protected AutoCommit autoCommit() {
    return AutoCommit.ON;
  }

  @Override
  protected LeaseStore store() {
    return store;
  }

  @Override
  protected void letExpire(Duration ttl) {
    ServerTime.letPass(ttl);
  }

  @Test
  void theTaskQueueSaysItNeedsPostgreSql() {
    JdbcTaskQueue tasks = JdbcTaskQueue.builder(database).build();

    assertThatThrownBy(tasks::createSchema)
        .hasMessageContaining("JdbcTaskQueue does not support H2");
  }
}
