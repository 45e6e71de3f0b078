package dev.keelson.outbox;

import dev.keelson.testing.AutoCommit;

/**
 * The inbox contract on connections handed out in a transaction, as Hikari's {@code
 * autoCommit=false}.
 */
class H2InboxAutoCommitOffTest extends H2InboxTest {

  @Override
  protected AutoCommit autoCommit() {
    return AutoCommit.OFF;
  }
}
