package dev.keelson.outbox;

import dev.keelson.core.internal.Listeners;
import dev.keelson.core.internal.Names;
import dev.keelson.core.internal.jdbc.Schema;
import dev.keelson.core.internal.jdbc.Sql;
import dev.keelson.core.internal.jdbc.Transaction;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Appends messages to the outbox table in the caller's own transaction: the message exists if and
 * only if the business change commits. Works with a plain {@link Connection} and with one managed
 * by a framework (for Spring, {@code DataSourceUtils.getConnection(dataSource)} inside the
 * transaction). One round trip per call on a connection in a transaction; on an auto-commit
 * connection, where there is no transaction to join, the append is a transaction of its own (all
 * its messages or none). On PostgreSQL a trigger on the table sends a {@code NOTIFY} on the
 * outbox's channel, which PostgreSQL delivers at commit (and drops on rollback), so relays wake at
 * once. Its {@link OutboxListener} hears each append ({@link OutboxListener#onAppended}), with the
 * outbox's name.
 *
 * <pre>{@code
 * connection.setAutoCommit(false);
 * orders.insert(connection, order);
 * outbox.append(connection, OutboxMessage.of("orders", order.id(), json(order)));
 * connection.commit();
 * }</pre>
 */
public final class Outbox {

  private final String table;
  private final String name;
  private final OutboxListener listener;
  private final boolean notifyOnCommit;
  private final String insert;

  private Outbox(Builder builder) {
    this.table = builder.table;
    this.notifyOnCommit = builder.notifyOnCommit;
    this.name = builder.name == null ? builder.table : builder.name;
    this.listener = builder.listener;
    this.insert =
        "INSERT INTO "
            + table
            + " (id, topic, msg_key, payload, headers, created_at) VALUES (?, ?, ?, ?, ?, ?)";
  }

  /**
   * @return the outbox in the table {@code keelson_outbox}; the same as {@code builder().build()}
   */
  public static Outbox withDefaults() {
    return builder().build();
  }

  /**
   * @return a builder of an outbox, in the table {@code keelson_outbox} unless told otherwise
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return the table
   */
  public String table() {
    return table;
  }

  /**
   * @return the outbox's name, as its listener's events carry it (default: the table)
   */
  public String name() {
    return name;
  }

  /**
   * @return the PostgreSQL channel the table's trigger notifies and relays listen on: the table's
   *     name
   */
  public String channel() {
    return table;
  }

  /**
   * Creates the outbox table and its indexes if they do not exist; on PostgreSQL, the notify
   * trigger if {@link Builder#notifyOnCommit} (and it is missing), or drops it if not (and it is
   * there). Nothing that is already right is made again.
   *
   * @param dataSource the database
   */
  public void createSchema(DataSource dataSource) {
    Schema.create(
        dataSource,
        Outbox.class,
        "outbox",
        table,
        Map.of("notify", String.valueOf(notifyOnCommit)));
  }

  /**
   * Appends one message in the caller's transaction (on an auto-commit connection: committed at
   * once).
   *
   * @param connection the caller's connection, in its transaction
   * @param message the message
   * @throws SQLException if the database refuses (the caller's transaction decides what happens)
   */
  public void append(Connection connection, OutboxMessage message) throws SQLException {
    appendAll(connection, List.of(message));
  }

  /**
   * Appends messages in the caller's transaction, in one batch; messages with the same key are
   * published in this order. On a connection in a transaction the caller commits or rolls back; on
   * an auto-commit connection the messages get a transaction of their own: all of them are
   * committed when this returns, none if it throws. The listener is told once the messages are
   * inserted ({@link OutboxListener#onAppended}); one that throws does not fail the append.
   *
   * @param connection the caller's connection, in its transaction
   * @param messages the messages
   * @throws SQLException if the database refuses (in a transaction, the caller's transaction
   *     decides what happens; on an auto-commit connection, nothing was appended)
   */
  public void appendAll(Connection connection, List<OutboxMessage> messages) throws SQLException {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(messages, "messages").forEach(m -> Objects.requireNonNull(m, "message"));
    if (messages.isEmpty()) {
      return;
    }
    Transaction.joinOrOwn(connection, tx -> insert(tx, messages));
    if (listener != OutboxListener.NONE) {
      int inserted = messages.size(); // a batch that returns inserted one row per message
      Listeners.notify(listener, "onAppended", l -> l.onAppended(name, inserted));
    }
  }

  /** One batch of inserts: the rows each inserted. */
  private int[] insert(Connection connection, List<OutboxMessage> messages) throws SQLException {
    return Sql.batch(
        connection,
        insert,
        messages,
        (statement, message) -> {
          statement.setObject(1, message.id());
          statement.setString(2, message.topic());
          statement.setString(3, message.key());
          statement.setBytes(4, message.payload());
          statement.setString(5, Headers.encode(message.headers()));
          statement.setObject(6, OffsetDateTime.ofInstant(message.createdAt(), ZoneOffset.UTC));
        });
  }

  /** Settings of an {@link Outbox}. */
  public static final class Builder {
    private String table = "keelson_outbox";
    private @Nullable String name;
    private OutboxListener listener = OutboxListener.NONE;
    private boolean notifyOnCommit = true;

    private Builder() {}

    /**
     * @param table the table: a lower-case SQL identifier (a-z, 0-9, _) of at most 48 characters
     *     (default {@code keelson_outbox})
     * @return this builder
     */
    public Builder table(String table) {
      this.table = Schema.checkTable(table);
      return this;
    }

    /**
     * @param name what the listener's events call this outbox: 1 to 64 characters of well-formed
     *     text (default: the table)
     * @return this builder
     */
    public Builder name(String name) {
      this.name = Names.check(name);
      return this;
    }

    /**
     * @param listener hears each append ({@link OutboxListener#onAppended}); if it throws, the
     *     exception is logged and the append still succeeds (default {@link OutboxListener#NONE})
     * @return this builder
     */
    public Builder listener(OutboxListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Whether {@link #createSchema} gives the table its notify trigger on PostgreSQL (default
     * true). With it, a relay waiting for work wakes at the commit of an append; its cost is that
     * PostgreSQL queues every notifying commit of the server (all its databases) behind one lock,
     * so appending transactions no longer commit side by side (it shows at thousands of commits per
     * second). Without it (false: the trigger is dropped if there), appends commit as any insert
     * does and relays find new messages by polling, every {@link OutboxRelay.Builder#pollInterval}
     * at the latest; choose it when relays run behind a pooler in transaction mode (PgBouncer),
     * which cannot hold a {@code LISTEN}, or when the commit rate matters more than a relay's
     * wake-up.
     *
     * @param notifyOnCommit whether appends notify relays at commit
     * @return this builder
     */
    public Builder notifyOnCommit(boolean notifyOnCommit) {
      this.notifyOnCommit = notifyOnCommit;
      return this;
    }

    /**
     * @return the outbox
     */
    public Outbox build() {
      return new Outbox(this);
    }
  }
}
