/**
 * Rate limits enforced on Redis, standalone or Cluster: one Lua script per algorithm, one round
 * trip per decision, the server's clock. Needs {@code io.lettuce:lettuce-core}.
 */
@NullMarked
package dev.keelson.ratelimit.redis;

import org.jspecify.annotations.NullMarked;
