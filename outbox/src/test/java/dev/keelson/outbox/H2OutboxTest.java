package dev.keelson.outbox;

import dev.keelson.testing.H2Database;
import javax.sql.DataSource;

/** The outbox on H2, the embedded default, with one relay. */
class H2OutboxTest extends OutboxContract {

  private final DataSource dataSource = H2Database.newInMemory();
  private final Outbox outbox = Outbox.withDefaults();

  H2OutboxTest() {
    outbox.createSchema(dataSource);
  }

  @Override
  protected DataSource database() {
    return dataSource;
  }

  @Override
  protected Outbox outbox() {
    return outbox;
  }
}
