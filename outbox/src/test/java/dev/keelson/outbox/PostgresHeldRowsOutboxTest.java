package dev.keelson.outbox;

import dev.keelson.testing.PostgresDatabase;

/** The PostgreSQL kit again, every relay holding its rows while it publishes. */
class PostgresHeldRowsOutboxTest extends PostgresOutboxTest {

  PostgresHeldRowsOutboxTest(PostgresDatabase database) {
    super(database);
  }

  @Override
  protected boolean holdsRows() {
    return true;
  }
}
