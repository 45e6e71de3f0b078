package dev.keelson.leasing.jdbc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.leasing.LeaseStore;
import dev.keelson.leasing.LeaseStoreContract;
import dev.keelson.testing.AutoCommit;
import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.ServerTime;
import dev.keelson.testing.WithPostgres;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithPostgres
class JdbcLeaseStoreTest extends LeaseStoreContract {

  private JdbcLeaseStore store;
  private PostgresDatabase database;

  @BeforeEach
  void schema(PostgresDatabase database) {
    this.database = database;
    store = JdbcLeaseStore.on(autoCommit().applyTo(database.dataSource()));
    store.createSchema();
  }

  /** The mode the pool hands connections out in; a subclass runs the kit with it off. */
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
  void aTableNameThatIsNotAnIdentifierIsRejected() {
    assertThatThrownBy(
            () -> JdbcLeaseStore.builder(database.dataSource()).table("leases; DROP TABLE x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("table: ");
  }
}
