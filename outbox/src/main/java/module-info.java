/** Keelson outbox: a transactional outbox with relays, and an inbox for idempotent consumers. */
module dev.keelson.outbox {
  requires transitive dev.keelson.core;
  requires transitive dev.keelson.retry;
  requires static transitive org.jspecify;
  requires org.slf4j;
  requires transitive java.sql;
  requires transitive java.net.http; // WebhookPublisher takes the user's HttpClient
  // LISTEN/NOTIFY on PostgreSQL; without the driver the relay polls.
  requires static org.postgresql.jdbc;

  exports dev.keelson.outbox;

  // Core reads the DDL files kept beside the outbox.
  opens dev.keelson.outbox to
      dev.keelson.core;
}
