package dev.keelson.leasing.jdbc;

import dev.keelson.testing.AutoCommit;

/** The fence on connections handed out in a transaction. */
class H2JdbcFenceAutoCommitOffTest extends H2JdbcFenceTest {

  @Override
  protected AutoCommit autoCommit() {
    return AutoCommit.OFF;
  }
}
