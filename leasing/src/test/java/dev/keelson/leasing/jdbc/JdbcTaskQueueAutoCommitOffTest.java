package dev.keelson.leasing.jdbc;

import dev.keelson.testing.AutoCommit;

/**
 * The task queue contract on PostgreSQL through a pool that hands out connections in a transaction.
 */
class JdbcTaskQueueAutoCommitOffTest extends JdbcTaskQueueTest {

  @Override
  protected AutoCommit autoCommit() {
    return AutoCommit.OFF;
  }
}
