package dev.keelson.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.testing.AutoCommit;
import dev.keelson.testing.Concurrently;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** One effect per message, on each database: the handler's write commits with the inbox record. */
public abstract class InboxContract {

  private final Inbox inbox =
      Inbox.builder().table("inbox_" + UUID.randomUUID().toString().replace("-", "")).build();
  private final String ledger = "ledger_" + UUID.randomUUID().toString().replace("-", "");

  /** The consumer's database, in JDBC's default auto-commit. */
  protected abstract DataSource database();

  /** The auto-commit mode the code under test gets its connections in. */
  protected AutoCommit autoCommit() {
    return AutoCommit.ON;
  }

  /** The database as the code under test sees it: connections in {@link #autoCommit()}. */
  protected DataSource dataSource() {
    return autoCommit().applyTo(database());
  }

  /** Creates the tables; call from the subclass's constructor, once its data source is set. */
  protected void createTables() {
    inbox.createSchema(database());
    try (Connection connection = database().getConnection();
        Statement ddl = connection.createStatement()) {
      ddl.execute("CREATE TABLE " + ledger + " (credits integer NOT NULL)");
      ddl.execute("INSERT INTO " + ledger + " VALUES (0)");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A consumer: the message credits the ledger once, on a connection as the pool hands it out. In
   * auto-commit, {@code process} takes a transaction of its own; in a transaction, the consumer
   * commits it (or rolls it back).
   */
  private boolean consume(UUID messageId, boolean failInHandler) throws SQLException {
    try (Connection connection = dataSource().getConnection()) {
      if (connection.getAutoCommit()) {
        return inbox.process(connection, "billing", messageId, credit(failInHandler));
      }
      try {
        boolean ran = inbox.process(connection, "billing", messageId, credit(failInHandler));
        connection.commit();
        return ran;
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  private int credits() throws SQLException {
    try (Connection connection = dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT credits FROM " + ledger)) {
      row.next();
      return row.getInt(1);
    }
  }

  @Test
  void aRedeliveredMessageHasNoSecondEffect() throws SQLException {
    UUID id = UUID.randomUUID();

    assertThat(consume(id, false)).isTrue();
    assertThat(consume(id, false)).as("redelivered").isFalse();
    assertThat(credits()).isEqualTo(1);
  }

  @Test
  void concurrentRedeliveriesHaveOneEffect() throws SQLException {
    UUID id = UUID.randomUUID();
    AtomicInteger ran = new AtomicInteger();

    Concurrently.run(
        8,
        consumer -> {
          try {
            if (consume(id, false)) {
              ran.incrementAndGet();
            }
          } catch (SQLException e) {
            // A racing duplicate may be refused by the database: it had no effect.
          }
        });

    assertThat(ran).hasValue(1);
    assertThat(credits()).isEqualTo(1);
  }

  @Test
  void aFailedHandlerLeavesTheMessageUnprocessed() throws SQLException {
    UUID id = UUID.randomUUID();

    assertThatThrownBy(() -> consume(id, true)).hasMessage("handler failed");
    assertThat(credits()).isZero();
    assertThat(consume(id, false)).as("processed on redelivery").isTrue();
    assertThat(credits()).isEqualTo(1);
  }

  /** Credits the ledger once, then fails if told to: the handler of a consumer. */
  private Inbox.Handler credit(boolean thenFail) {
    return tx -> {
      try (PreparedStatement credit =
          tx.prepareStatement("UPDATE " + ledger + " SET credits = credits + 1")) {
        credit.executeUpdate();
      }
      if (thenFail) {
        throw new SQLException("handler failed");
      }
    };
  }

  @Test
  void onAnAutoCommitConnectionTheEffectAndItsRecordCommitTogether() throws SQLException {
    UUID failing = UUID.randomUUID();
    UUID succeeding = UUID.randomUUID();
    try (Connection connection = database().getConnection()) {
      assertThat(connection.getAutoCommit()).isTrue();

      assertThatThrownBy(() -> inbox.process(connection, "billing", failing, credit(true)))
          .hasMessage("handler failed");
      assertThat(credits()).as("the failed effect is rolled back").isZero();
      assertThat(inbox.process(connection, "billing", succeeding, credit(false))).isTrue();
      assertThat(connection.getAutoCommit()).as("the connection as it came").isTrue();
    }

    assertThat(credits()).isEqualTo(1);
    assertThat(consume(failing, false)).as("no record of the failed one").isTrue();
    assertThat(consume(succeeding, false)).as("the succeeded one is recorded").isFalse();
    assertThat(credits()).isEqualTo(2);
  }

  @Test
  void purgedIdsAreForgotten() throws SQLException {
    UUID id = UUID.randomUUID();
    assertThat(consume(id, false)).isTrue();

    assertThat(inbox.purge(dataSource(), Instant.now().plus(Duration.ofHours(1)))).isEqualTo(1);

    assertThat(consume(id, false)).as("forgotten, so processed again").isTrue();
  }

  @Test
  void anyStringIdABrokerGivesWorksAndAUuidIsTheSameIdAsItsText() throws SQLException {
    String offset = "orders-2-" + UUID.randomUUID(); // topic-partition-offset, say
    UUID id = UUID.randomUUID();
    try (Connection connection = database().getConnection()) {
      assertThat(inbox.process(connection, "billing", offset, credit(false))).isTrue();
      assertThat(inbox.process(connection, "billing", offset, credit(false))).isFalse();
      assertThat(inbox.process(connection, "billing", id, credit(false))).isTrue();
      assertThat(inbox.process(connection, "billing", id.toString(), credit(false)))
          .as("the header's text of the same id")
          .isFalse();
    }
    assertThat(credits()).isEqualTo(2);
  }

  @Test
  void createSchemaTurnsAnOldUuidColumnToTextAndKeepsItsIds() throws SQLException {
    String old = "inbox_" + UUID.randomUUID().toString().replace("-", "");
    UUID processed = UUID.randomUUID();
    try (Connection connection = database().getConnection();
        Statement ddl = connection.createStatement()) {
      ddl.execute(
          "CREATE TABLE "
              + old
              + " (consumer VARCHAR(255) NOT NULL, message_id UUID NOT NULL,"
              + " processed_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,"
              + " PRIMARY KEY (consumer, message_id))");
      try (PreparedStatement row =
          connection.prepareStatement(
              "INSERT INTO " + old + " (consumer, message_id) VALUES ('billing', ?)")) {
        row.setObject(1, processed);
        row.executeUpdate();
      }
    }
    Inbox upgraded = Inbox.builder().table(old).build();

    upgraded.createSchema(database());
    upgraded.createSchema(database()); // a second start finds it done

    try (Connection connection = database().getConnection()) {
      assertThat(upgraded.process(connection, "billing", processed, credit(false)))
          .as("processed before the upgrade: still known")
          .isFalse();
      assertThat(upgraded.process(connection, "billing", "orders-0-17", credit(false))).isTrue();
    }
  }

  @Test
  void badInputIsRejectedByName() {
    assertThatThrownBy(
            () -> {
              try (Connection connection = dataSource().getConnection()) {
                inbox.process(connection, "billing", "", tx -> {});
              }
            })
        .hasMessageStartingWith("messageId: ");
    assertThatThrownBy(
            () -> {
              try (Connection connection = dataSource().getConnection()) {
                inbox.process(connection, "billing", "x".repeat(256), tx -> {});
              }
            })
        .hasMessageStartingWith("messageId: ");
    assertThatThrownBy(() -> Inbox.builder().table("inbox x")).hasMessageStartingWith("table: ");
    assertThatThrownBy(
            () -> {
              try (Connection connection = dataSource().getConnection()) {
                inbox.process(connection, "", UUID.randomUUID(), tx -> {});
              }
            })
        .hasMessageStartingWith("consumer: ");
    assertThatThrownBy(
            () -> {
              try (Connection connection = dataSource().getConnection()) {
                inbox.process(connection, "billing\uD800", UUID.randomUUID(), tx -> {});
              }
            })
        .hasMessageStartingWith("consumer: has an unpaired surrogate");
  }
}
