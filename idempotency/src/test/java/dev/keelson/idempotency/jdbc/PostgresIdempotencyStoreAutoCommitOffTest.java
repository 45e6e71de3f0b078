package dev.keelson.idempotency.jdbc;

import dev.keelson.testing.AutoCommit;
import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.WithPostgres;

/** The store on PostgreSQL through a pool that hands out connections in a transaction. */
@WithPostgres
class PostgresIdempotencyStoreAutoCommitOffTest extends JdbcIdempotencyStoreContract {

  PostgresIdempotencyStoreAutoCommitOffTest(PostgresDatabase database) {
    super(AutoCommit.OFF.applyTo(database.dataSource()));
  }
}
