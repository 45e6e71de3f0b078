/**
 * The idempotency module's benchmarks: an execution and a replay per store, and the local cache.
 */
@NullMarked
package dev.keelson.benchmarks.idempotency;

import org.jspecify.annotations.NullMarked;
