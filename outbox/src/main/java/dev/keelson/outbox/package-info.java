/**
 * A transactional outbox: {@link dev.keelson.outbox.Outbox} stores messages in the caller's JDBC
 * transaction, {@link dev.keelson.outbox.OutboxRelay} publishes every committed message in order
 * per key to a {@link dev.keelson.outbox.Publisher}, and {@link dev.keelson.outbox.Inbox} gives a
 * consumer one effect per message. PostgreSQL, and H2 as the embedded default.
 */
@NullMarked
package dev.keelson.outbox;

import org.jspecify.annotations.NullMarked;
