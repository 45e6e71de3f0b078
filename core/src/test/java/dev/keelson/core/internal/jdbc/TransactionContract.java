package dev.keelson.core.internal.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.testing.AutoCommit;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each kind of transaction does what it says with connections handed out in either auto-commit
 * mode: work of its own is committed when the call returns, and the caller's is left to the caller.
 */
abstract class TransactionContract {

  /** The database in JDBC's default mode (auto-commit on). */
  protected abstract DataSource database();

  @BeforeEach
  void table() throws SQLException {
    try (Connection connection = database().getConnection();
        Statement ddl = connection.createStatement()) {
      ddl.execute("CREATE TABLE IF NOT EXISTS notes (id varchar(64) PRIMARY KEY)");
    }
  }

  private static void insert(Connection connection, String id) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notes VALUES (?)")) {
      insert.setString(1, id);
      insert.executeUpdate();
    }
  }

  private boolean stored(String id) throws SQLException {
    try (Connection connection = database().getConnection();
        PreparedStatement select =
            connection.prepareStatement("SELECT 1 FROM notes WHERE id = ?")) {
      select.setString(1, id);
      try (ResultSet row = select.executeQuery()) {
        return row.next();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(AutoCommit.class)
  void workOfItsOwnIsCommittedWhenTheCallReturns(AutoCommit mode) throws SQLException {
    DataSource pool = mode.applyTo(database());
    String a = UUID.randomUUID().toString();
    String b = UUID.randomUUID().toString();
    String c = UUID.randomUUID().toString();

    Transaction.own(
        pool,
        tx -> {
          insert(tx, a);
          insert(tx, b);
          return null;
        });
    Transaction.ownStatement(
        pool,
        tx -> {
          insert(tx, c);
          return null;
        });

    assertThat(stored(a) && stored(b) && stored(c)).isTrue();
  }

  @ParameterizedTest
  @EnumSource(AutoCommit.class)
  void workOfItsOwnThatFailsLeavesNothing(AutoCommit mode) throws SQLException {
    DataSource pool = mode.applyTo(database());
    String a = UUID.randomUUID().toString();

    assertThatThrownBy(
            () ->
                Transaction.own(
                    pool,
                    tx -> {
                      insert(tx, a);
                      insert(tx, a); // a duplicate key
                      return null;
                    }))
        .isInstanceOf(SQLException.class);

    assertThat(stored(a)).isFalse();
  }

  @Test
  void joiningTheCallersTransactionLeavesTheCommitToTheCaller() throws SQLException {
    String a = UUID.randomUUID().toString();
    try (Connection caller = database().getConnection()) {
      caller.setAutoCommit(false);
      Transaction.joinOrOwn(
          caller,
          tx -> {
            insert(tx, a);
            return null;
          });
      caller.rollback();
      assertThat(caller.getAutoCommit()).isFalse();
    }
    assertThat(stored(a)).as("the caller rolled back").isFalse();
  }

  @Test
  void onAnAutoCommitConnectionTheCallersWorkGetsATransactionOfItsOwn() throws SQLException {
    String a = UUID.randomUUID().toString();
    try (Connection caller = database().getConnection()) {
      assertThatThrownBy(
              () ->
                  Transaction.joinOrOwn(
                      caller,
                      tx -> {
                        insert(tx, a);
                        throw new SQLException("the second statement fails");
                      }))
          .hasMessage("the second statement fails");
      assertThat(caller.getAutoCommit()).as("given back as it came").isTrue();
    }
    assertThat(stored(a)).as("the first statement went with the second").isFalse();
  }
}
