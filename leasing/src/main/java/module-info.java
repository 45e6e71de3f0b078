/** Keelson leasing: fenced leases, leader election and task queues. */
module dev.keelson.leasing {
  requires transitive dev.keelson.core;
  requires transitive dev.keelson.retry;
  requires static transitive org.jspecify;
  requires org.slf4j;
  requires java.management; // the default owner names the JVM (its pid@host)
  // Only the Redis and JDBC backends need these (their signatures name them); their users bring
  // them, so an application that uses neither resolves neither.
  requires static transitive lettuce.core;
  requires static transitive java.sql;

  exports dev.keelson.leasing;
  exports dev.keelson.leasing.jdbc;
  exports dev.keelson.leasing.redis;

  // Core reads the DDL and Lua files kept beside the backends.
  opens dev.keelson.leasing.jdbc to
      dev.keelson.core;
  opens dev.keelson.leasing.redis to
      dev.keelson.core;
}
