package dev.keelson.outbox;

import dev.keelson.core.internal.jdbc.Schema;
import dev.keelson.core.internal.jdbc.Sql;
import dev.keelson.core.internal.jdbc.SqlDialect;
import dev.keelson.core.internal.jdbc.Transaction;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * An idempotent consumer: {@link #process} records the message's id in the consumer's own
 * transaction and runs the handler only the first time, so a redelivered message (the outbox
 * publishes at least once) has no second effect. The effect is exactly-once when the handler's
 * writes go through the same connection: they commit together with the record, or neither does,
 * whatever the connection's auto-commit mode (see {@link #process}).
 *
 * <pre>{@code
 * connection.setAutoCommit(false);
 * inbox.process(connection, "billing", message.id(), tx -> ledger.credit(tx, amountOf(message)));
 * connection.commit();
 * }</pre>
 */
public final class Inbox {

  private final String table;
  private final String postgresRecord;
  private final String h2Record;
  private final String purge;

  private Inbox(String table) {
    this.table = table;
    this.postgresRecord =
        "INSERT INTO " + table + " (consumer, message_id) VALUES (?, ?) ON CONFLICT DO NOTHING";
    this.h2Record = "INSERT INTO " + table + " (consumer, message_id) VALUES (?, ?)";
    this.purge = "DELETE FROM " + table + " WHERE processed_at < ?";
  }

  /**
   * @return the inbox in the table {@code keelson_inbox}; the same as {@code builder().build()}
   */
  public static Inbox withDefaults() {
    return builder().build();
  }

  /**
   * @return a builder of an inbox, in the table {@code keelson_inbox} unless told otherwise
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the inbox table if it does not exist.
   *
   * @param dataSource the database
   */
  public void createSchema(DataSource dataSource) {
    Schema.create(dataSource, Inbox.class, "inbox", table);
  }

  /** The consumer's work, on the transaction's connection. */
  @FunctionalInterface
  public interface Handler {
    void handle(Connection connection) throws SQLException;
  }

  /**
   * Runs the handler if this consumer has not processed the message yet, with the record of it in
   * one transaction (as {@link #process(Connection, String, String, Handler)}), for a message of
   * Keelson's outbox: by its id.
   *
   * @param connection the consumer's connection, in its transaction or in auto-commit
   * @param consumer who consumes (see the other {@code process})
   * @param messageId the message's id (as a webhook's {@code Keelson-Id} or a Kafka record's {@code
   *     keelson-id} header carries it)
   * @param handler the effect
   * @return true if the handler ran; false for a redelivery (nothing ran)
   * @throws SQLException if the database or the handler fails
   * @throws IllegalArgumentException if the consumer is not valid (nothing ran)
   */
  public boolean process(Connection connection, String consumer, UUID messageId, Handler handler)
      throws SQLException {
    return process(
        connection, consumer, Objects.requireNonNull(messageId, "messageId").toString(), handler);
  }

  /**
   * Runs the handler if this consumer has not processed the message yet, with the record of it in
   * one transaction:
   *
   * <ul>
   *   <li>on a connection in a transaction, the caller's: commit afterwards; if the handler throws,
   *       roll back, and the message counts as unprocessed;
   *   <li>on an auto-commit connection, one of its own: the record and the handler's writes on the
   *       connection are committed when this returns, and rolled back if the handler throws (no
   *       record is left, so a redelivery runs the handler again). The connection is handed back in
   *       auto-commit.
   * </ul>
   *
   * @param connection the consumer's connection, in its transaction or in auto-commit
   * @param consumer who consumes: 1 to 255 characters of well-formed text without U+0000 (each
   *     consumer processes every message once)
   * @param messageId any id that names one message for good: a Keelson message id, a broker's
   *     {@code topic-partition-offset}, a producer's event id; 1 to 255 characters of well-formed
   *     text without U+0000
   * @param handler the effect
   * @return true if the handler ran; false for a redelivery (nothing ran)
   * @throws SQLException if the database or the handler fails
   * @throws IllegalArgumentException if the consumer or the id is not as above (nothing ran)
   */
  public boolean process(Connection connection, String consumer, String messageId, Handler handler)
      throws SQLException {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(handler, "handler");
    OutboxMessage.checkKey("consumer", consumer);
    OutboxMessage.checkKey("messageId", messageId);
    return Transaction.joinOrOwn(
        connection,
        tx -> {
          if (!record(tx, consumer, messageId)) {
            return false;
          }
          handler.handle(tx);
          return true;
        });
  }

  private boolean record(Connection connection, String consumer, String messageId)
      throws SQLException {
    boolean postgres = SqlDialect.of(connection) == SqlDialect.POSTGRESQL;
    try {
      return Sql.update(
              connection,
              postgres ? postgresRecord : h2Record,
              insert -> {
                insert.setString(1, consumer);
                insert.setString(2, messageId);
              })
          == 1;
    } catch (SQLException e) {
      if (!postgres && SqlDialect.isUniqueViolation(e)) {
        return false; // H2 has no ON CONFLICT DO NOTHING; its failed statement leaves the rest
      }
      throw e;
    }
  }

  /**
   * Forgets processed ids older than the cutoff, in a transaction of its own (committed when this
   * returns, in either auto-commit mode): keep them longer than a message can be redelivered.
   *
   * @param dataSource the database
   * @param olderThan the cutoff
   * @return how many were deleted
   */
  public int purge(DataSource dataSource, Instant olderThan) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(olderThan, "olderThan");
    try {
      return Transaction.ownStatement(
          dataSource,
          connection ->
              Sql.update(
                  connection,
                  purge,
                  delete ->
                      delete.setObject(1, OffsetDateTime.ofInstant(olderThan, ZoneOffset.UTC))));
    } catch (SQLException e) {
      throw Sql.failure("purge processed ids", table, e);
    }
  }

  /** Settings of an {@link Inbox}. */
  public static final class Builder {
    private String table = "keelson_inbox";

    private Builder() {}

    /**
     * @param table the table: a lower-case SQL identifier (a-z, 0-9, _) of at most 48 characters
     *     (default {@code keelson_inbox})
     * @return this builder
     */
    public Builder table(String table) {
      this.table = Schema.checkTable(table);
      return this;
    }

    /**
     * @return the inbox
     */
    public Inbox build() {
      return new Inbox(table);
    }
  }
}
