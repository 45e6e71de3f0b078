package dev.keelson.leasing.jdbc;

import javax.sql.DataSource;

class H2JdbcFenceTest extends JdbcFenceContract {

  private final DataSource dataSource = H2.newDatabase();

  @Override
  protected DataSource dataSource() {
    return dataSource;
  }
}
