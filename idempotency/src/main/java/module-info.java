/** Keelson idempotency: execute a request once, replay its result, refuse conflicting reuse. */
module dev.keelson.idempotency {
  requires transitive dev.keelson.core;
  requires static transitive org.jspecify;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;
  // java.sql is in every JDK; the JDBC backends' signatures use it.
  requires transitive java.sql;
  // Only the Redis and JDBC stores need these; their users bring them.
  requires static transitive lettuce.core;

  exports dev.keelson.idempotency;
  exports dev.keelson.idempotency.jdbc;
  exports dev.keelson.idempotency.redis;

  // Core reads the DDL and Lua files kept beside the stores.
  opens dev.keelson.idempotency.jdbc to
      dev.keelson.core;
  opens dev.keelson.idempotency.redis to
      dev.keelson.core;
}
