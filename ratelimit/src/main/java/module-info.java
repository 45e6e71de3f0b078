/** Keelson rate limits: in-process and on Redis, standalone and Cluster. */
module dev.keelson.ratelimit {
  requires transitive dev.keelson.core;
  requires static transitive org.jspecify;
  requires com.github.benmanes.caffeine;
  requires org.slf4j;
  // Only the Redis limiters need Lettuce; their users bring it.
  requires static transitive lettuce.core;

  exports dev.keelson.ratelimit;
  exports dev.keelson.ratelimit.redis;

  // Core's script loader reads the Lua files kept beside the Redis limiters.
  opens dev.keelson.ratelimit.redis to
      dev.keelson.core;
}
