package dev.keelson.leasing.jdbc;

import dev.keelson.testing.AutoCommit;

/** The lease contract on H2 with connections handed out in a transaction. */
class H2JdbcLeaseStoreAutoCommitOffTest extends H2JdbcLeaseStoreTest {

  @Override
  protected AutoCommit autoCommit() {
    return AutoCommit.OFF;
  }
}
