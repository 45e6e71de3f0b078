package dev.keelson.testing;

import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** H2, the JDBC backends' embedded default, for their contract kits: no server to provide. */
public final class H2Database {

  private H2Database() {}

  /**
   * A new, empty in-memory database of its own, kept until the JVM exits.
   *
   * @return a data source opening connections to it
   */
  public static DataSource newInMemory() {
    JdbcDataSource dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:keelson-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    return dataSource;
  }
}
