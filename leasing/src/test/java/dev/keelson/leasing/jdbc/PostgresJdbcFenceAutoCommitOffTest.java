package dev.keelson.leasing.jdbc;

import dev.keelson.testing.AutoCommit;
import dev.keelson.testing.PostgresDatabase;

/** The fence on connections handed out in a transaction. */
class PostgresJdbcFenceAutoCommitOffTest extends PostgresJdbcFenceTest {

  PostgresJdbcFenceAutoCommitOffTest(PostgresDatabase database) {
    super(database);
  }

  @Override
  protected AutoCommit autoCommit() {
    return AutoCommit.OFF;
  }
}
