package dev.keelson.idempotency.jdbc;

import dev.keelson.testing.H2Database;

/** The store on H2, the embedded default. */
class H2IdempotencyStoreTest extends JdbcIdempotencyStoreContract {

  H2IdempotencyStoreTest() {
    super(H2Database.newInMemory());
  }
}
