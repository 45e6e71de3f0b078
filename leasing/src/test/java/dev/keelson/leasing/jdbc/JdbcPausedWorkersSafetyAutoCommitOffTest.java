package dev.keelson.leasing.jdbc;

import dev.keelson.testing.AutoCommit;

/** The safety test on PostgreSQL through a pool that hands out connections in a transaction. */
class JdbcPausedWorkersSafetyAutoCommitOffTest extends JdbcPausedWorkersSafetyTest {

  @Override
  protected AutoCommit autoCommit() {
    return AutoCommit.OFF;
  }
}
