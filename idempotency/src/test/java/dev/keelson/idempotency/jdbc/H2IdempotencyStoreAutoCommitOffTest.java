package dev.keelson.idempotency.jdbc;

import dev.keelson.testing.AutoCommit;
import dev.keelson.testing.H2Database;

/** The store on H2 with connections handed out in a transaction. */
class H2IdempotencyStoreAutoCommitOffTest extends JdbcIdempotencyStoreContract {

  H2IdempotencyStoreAutoCommitOffTest() {
    super(AutoCommit.OFF.applyTo(H2Database.newInMemory()));
  }
}
