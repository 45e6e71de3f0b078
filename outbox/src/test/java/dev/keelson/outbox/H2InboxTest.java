package dev.keelson.outbox;

import javax.sql.DataSource;

class H2InboxTest extends InboxContract {

  private final DataSource dataSource = H2OutboxTest.H2.newDatabase();

  H2InboxTest() {
    createTables();
  }

  @Override
  protected DataSource dataSource() {
    return dataSource;
  }
}
