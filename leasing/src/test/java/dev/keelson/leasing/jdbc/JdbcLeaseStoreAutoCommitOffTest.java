package dev.keelson.leasing.jdbc;

import dev.keelson.testing.AutoCommit;

/** The lease contract on PostgreSQL through a pool that hands out connections in a transaction. */
class JdbcLeaseStoreAutoCommitOffTest extends JdbcLeaseStoreTest {

  @Override
  protected AutoCommit autoCommit() {
    return AutoCommit.OFF;
  }
}
