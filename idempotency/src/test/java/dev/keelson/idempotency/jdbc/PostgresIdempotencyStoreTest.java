package dev.keelson.idempotency.jdbc;

import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.WithPostgres;

@WithPostgres
class PostgresIdempotencyStoreTest extends JdbcIdempotencyStoreContract {

  PostgresIdempotencyStoreTest(PostgresDatabase database) {
    super(database.dataSource());
  }
}
