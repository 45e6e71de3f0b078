package dev.keelson.outbox;

import dev.keelson.testing.AutoCommit;
import dev.keelson.testing.PostgresDatabase;

/** The held-rows kit on connections handed out in a transaction, as Hikari's autoCommit=false. */
class PostgresHeldRowsAutoCommitOffTest extends PostgresHeldRowsOutboxTest {

  PostgresHeldRowsAutoCommitOffTest(PostgresDatabase database) {
    super(database);
  }

  @Override
  protected AutoCommit autoCommit() {
    return AutoCommit.OFF;
  }
}
