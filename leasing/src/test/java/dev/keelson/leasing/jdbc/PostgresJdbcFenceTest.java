package dev.keelson.leasing.jdbc;

import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.WithPostgres;
import javax.sql.DataSource;

@WithPostgres
class PostgresJdbcFenceTest extends JdbcFenceContract {

  private final DataSource dataSource;

  PostgresJdbcFenceTest(PostgresDatabase database) {
    dataSource = autoCommit().applyTo(database.dataSource());
  }

  @Override
  protected DataSource dataSource() {
    return dataSource;
  }
}
