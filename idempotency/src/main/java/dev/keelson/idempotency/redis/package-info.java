/** Idempotency records on Redis, standalone or Cluster: {@link RedisIdempotencyStore}. */
@NullMarked
package dev.keelson.idempotency.redis;

import org.jspecify.annotations.NullMarked;
