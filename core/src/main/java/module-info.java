/**
 * Keelson core: what the modules' public APIs share ({@link dev.keelson.core.Ticker}, {@link
 * dev.keelson.core.EvictionCheck}, {@link dev.keelson.core.KeelsonException} and {@link
 * dev.keelson.core.BackendException}). The helpers in {@code dev.keelson.core.internal} are
 * exported only to the sibling modules, so no user code can come to depend on them.
 */
module dev.keelson.core {
  requires static transitive org.jspecify;
  requires org.slf4j;
  // Only the Redis and JDBC backends need these; their users bring them.
  requires static lettuce.core;
  requires static java.sql;

  exports dev.keelson.core;
  exports dev.keelson.core.internal to
      dev.keelson.retry,
      dev.keelson.ratelimit,
      dev.keelson.idempotency,
      dev.keelson.leasing,
      dev.keelson.outbox,
      dev.keelson.outbox.kafka,
      dev.keelson.micrometer;
  exports dev.keelson.core.internal.jdbc to
      dev.keelson.idempotency,
      dev.keelson.leasing,
      dev.keelson.outbox;
  exports dev.keelson.core.internal.redis to
      dev.keelson.ratelimit,
      dev.keelson.idempotency,
      dev.keelson.leasing;
}
