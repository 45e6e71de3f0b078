package dev.keelson.outbox;

import dev.keelson.testing.AutoCommit;

/**
 * The outbox contract on connections handed out in a transaction, as Hikari's {@code
 * autoCommit=false}.
 */
class H2OutboxAutoCommitOffTest extends H2OutboxTest {

  @Override
  protected AutoCommit autoCommit() {
    return AutoCommit.OFF;
  }
}
