package dev.keelson.outbox;

import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/** The outbox on H2, the embedded default, with one relay. */
class H2OutboxTest extends OutboxContract {

  private final DataSource dataSource = H2.newDatabase();
  private final Outbox outbox = Outbox.onDefaultTable();

  H2OutboxTest() {
    outbox.createSchema(dataSource);
  }

  @Override
  protected DataSource dataSource() {
    return dataSource;
  }

  @Override
  protected Outbox outbox() {
    return outbox;
  }

  /** H2, the JDBC backends' embedded default: a fresh in-memory database per call. */
  static final class H2 {
    private H2() {}

    static DataSource newDatabase() {
      JdbcDataSource dataSource = new JdbcDataSource();
      dataSource.setURL("jdbc:h2:mem:keelson-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      return dataSource;
    }
  }
}
