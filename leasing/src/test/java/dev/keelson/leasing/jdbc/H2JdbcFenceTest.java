package dev.keelson.leasing.jdbc;

import dev.keelson.testing.H2Database;
import javax.sql.DataSource;

class H2JdbcFenceTest extends JdbcFenceContract {

  private final DataSource dataSource = autoCommit().applyTo(H2Database.newInMemory());

  @Override
  protected DataSource dataSource() {
    return dataSource;
  }
}
