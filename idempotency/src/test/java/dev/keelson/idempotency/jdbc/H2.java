package dev.keelson.idempotency.jdbc;

import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** H2, the JDBC backends' embedded default: a fresh in-memory database per call. */
final class H2 {

  private H2() {}

  /** A new, empty database that lives until the JVM exits. */
  static DataSource newDatabase() {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:keelson-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    return dataSource;
  }
}
