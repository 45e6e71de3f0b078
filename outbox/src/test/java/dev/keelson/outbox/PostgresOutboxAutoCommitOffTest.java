package dev.keelson.outbox;

import dev.keelson.testing.AutoCommit;
import dev.keelson.testing.PostgresDatabase;

/**
 * The outbox contract on connections handed out in a transaction, as Hikari's {@code
 * autoCommit=false}.
 */
class PostgresOutboxAutoCommitOffTest extends PostgresOutboxTest {

  PostgresOutboxAutoCommitOffTest(PostgresDatabase database) {
    super(database);
  }

  @Override
  protected AutoCommit autoCommit() {
    return AutoCommit.OFF;
  }
}
