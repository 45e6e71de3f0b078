package dev.keelson.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.WithPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Table names are at most 48 characters: PostgreSQL cuts identifiers at 63, and the longest name
 * derived from a table ({@code <table>_unpublished}) is 12 characters more, so every derived name
 * stays whole and distinct.
 */
@WithPostgres
class PostgresTableNameTest {

  private static final String LONGEST = "o".repeat(48);
  private static final String INDEXES = "SELECT indexname FROM pg_indexes WHERE tablename = ?";
  private static final String TRIGGERS =
      "SELECT tgname FROM pg_trigger WHERE tgrelid = ?::regclass AND NOT tgisinternal";

  @Test
  void aTableNameOf49CharactersIsRefusedByName() {
    assertThatThrownBy(() -> Outbox.builder().table("o".repeat(49)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "table: '" + "o".repeat(49) + "' must be a lower-case SQL identifier")
        .hasMessageContaining("at most 48 characters");
    assertThatThrownBy(() -> Inbox.builder().table("i".repeat(49)))
        .hasMessageContaining("at most 48 characters");
  }

  @Test
  void aTableNameOf48CharactersGetsItsWholeSchemaWithDistinctNames(PostgresDatabase database)
      throws SQLException {
    Outbox outbox = Outbox.builder().table(LONGEST).build();
    outbox.createSchema(database.dataSource());
    outbox.createSchema(database.dataSource()); // again: nothing clashes

    assertThat(names(database, INDEXES, LONGEST))
        .containsExactlyInAnyOrder(
            LONGEST + "_pkey",
            LONGEST + "_id_key",
            LONGEST + "_pending",
            LONGEST + "_unpublished",
            LONGEST + "_published");
    assertThat(names(database, TRIGGERS, LONGEST)).containsExactly(LONGEST + "_notify");

    try (Connection connection = database.connect()) {
      outbox.append(connection, OutboxMessage.of("t", "k", new byte[] {1}));
    }
    InMemoryPublisher publisher = InMemoryPublisher.withDefaults();
    assertThat(OutboxRelay.builder(database.dataSource(), outbox, publisher).build().runOnce())
        .isEqualTo(1);
    assertThat(publisher.delivered()).hasSize(1);
  }

  @Test
  void anInboxTableOf48CharactersGetsItsSchema(PostgresDatabase database) throws SQLException {
    String table = "i".repeat(48);
    Inbox.builder().table(table).build().createSchema(database.dataSource());

    assertThat(names(database, INDEXES, table))
        .containsExactlyInAnyOrder(table + "_pkey", table + "_processed");
  }

  /** The names a catalog query finds for a table. */
  private static List<String> names(PostgresDatabase database, String query, String table)
      throws SQLException {
    try (Connection connection = database.connect();
        PreparedStatement select = connection.prepareStatement(query)) {
      select.setString(1, table);
      List<String> names = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          names.add(rows.getString(1));
        }
      }
      return names;
    }
  }
}
