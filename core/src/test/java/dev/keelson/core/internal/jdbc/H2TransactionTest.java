package dev.keelson.core.internal.jdbc;

import dev.keelson.testing.H2Database;
import javax.sql.DataSource;

class H2TransactionTest extends TransactionContract {

  private final DataSource database = H2Database.newInMemory();

  @Override
  protected DataSource database() {
    return database;
  }
}
