package dev.keelson.idempotency.jdbc;

/** The store on H2, the embedded default. */
class H2IdempotencyStoreTest extends JdbcIdempotencyStoreContract {

  H2IdempotencyStoreTest() {
    super(H2.newDatabase());
  }
}
