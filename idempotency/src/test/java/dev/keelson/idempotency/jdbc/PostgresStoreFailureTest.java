package dev.keelson.idempotency.jdbc;

import dev.keelson.idempotency.IdempotencyStore;
import dev.keelson.idempotency.StoreFailureContract;
import dev.keelson.testing.FaultProxy;
import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.ServerControl;
import dev.keelson.testing.WithPostgres;
import org.junit.jupiter.api.AfterEach;
import org.postgresql.ds.PGSimpleDataSource;

/** PostgreSQL of this class alone, killed, blackholed and restarted. */
@WithPostgres(dedicated = true)
class PostgresStoreFailureTest extends StoreFailureContract {

  private final PostgresDatabase database;
  private final FaultProxy proxy;
  private final JdbcIdempotencyStore store;

  PostgresStoreFailureTest(PostgresDatabase database) {
    this.database = database;
    JdbcIdempotencyStore.on(database.dataSource()).createSchema();
    this.proxy = FaultProxy.start(database.host(), database.port());
    PGSimpleDataSource throughProxy = (PGSimpleDataSource) database.dataSourceThrough(proxy);
    throughProxy.setConnectTimeout(1);
    throughProxy.setSocketTimeout(1);
    this.store = JdbcIdempotencyStore.on(throughProxy);
  }

  @AfterEach
  void closeProxy() {
    proxy.close();
  }

  @Override
  protected IdempotencyStore store() {
    return store;
  }

  @Override
  protected FaultProxy proxy() {
    return proxy;
  }

  @Override
  protected ServerControl server() {
    return database.control();
  }
}
