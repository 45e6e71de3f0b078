/**
 * Internal: running Keelson's Lua scripts on Redis: one script per operation, kept as a {@code
 * .lua} resource beside the class that uses it, run by {@code EVALSHA} on a user's Lettuce
 * connection (standalone or Cluster), sync or async. Needs {@code io.lettuce:lettuce-core} on the
 * class path.
 */
@NullMarked
package dev.keelson.core.internal.redis;

import org.jspecify.annotations.NullMarked;
