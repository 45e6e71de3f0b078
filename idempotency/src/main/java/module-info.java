/** Keelson idempotency: execute a request once, replay its result, refuse conflicting reuse. */
module dev.keelson.idempotency {
  requires transitive dev.keelson.core;
  requires static transitive org.jspecify;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;
  // Only the Redis and JDBC stores need these (their signatures name them); their users bring
  // them, so an application that uses neither resolves neither.
  requires static transitive lettuce.core;
  requires static transitive java.sql;

  exports dev.keelson.idempotency;
  exports dev.keelson.idempotency.jdbc;
  exports dev.keelson.idempotency.redis;

  // Core reads the DDL and Lua files kept beside the stores.
  opens dev.keelson.idempotency.jdbc to
      dev.keelson.core;
  opens dev.keelson.idempotency.redis to
      dev.keelson.core;
}
