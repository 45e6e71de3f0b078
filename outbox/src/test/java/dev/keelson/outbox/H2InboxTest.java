package dev.keelson.outbox;

import dev.keelson.testing.H2Database;
import javax.sql.DataSource;

class H2InboxTest extends InboxContract {

  private final DataSource dataSource = H2Database.newInMemory();

  H2InboxTest() {
    createTables();
  }

  @Override
  protected DataSource database() {
    return dataSource;
  }
}
