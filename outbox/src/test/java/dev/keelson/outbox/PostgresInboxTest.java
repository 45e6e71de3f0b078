package dev.keelson.outbox;

import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.WithPostgres;
import javax.sql.DataSource;

@WithPostgres
class PostgresInboxTest extends InboxContract {

  private final DataSource dataSource;

  PostgresInboxTest(PostgresDatabase database) {
    this.dataSource = database.dataSource();
    createTables();
  }

  @Override
  protected DataSource database() {
    return dataSource;
  }
}
