package dev.keelson.outbox;

import dev.keelson.testing.AutoCommit;
import dev.keelson.testing.PostgresDatabase;

/**
 * The inbox contract on connections handed out in a transaction, as Hikari's {@code
 * autoCommit=false}.
 */
class PostgresInboxAutoCommitOffTest extends PostgresInboxTest {

  PostgresInboxAutoCommitOffTest(PostgresDatabase database) {
    super(database);
  }

  @Override
  protected AutoCommit autoCommit() {
    return AutoCommit.OFF;
  }
}
