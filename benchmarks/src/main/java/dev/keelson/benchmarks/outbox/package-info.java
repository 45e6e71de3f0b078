/**
 * The outbox's benchmarks: what an append adds to a business transaction, relay throughput, and (in
 * {@link dev.keelson.benchmarks.outbox.OutboxLatencyReport}) commit-to-publish latency.
 */
@NullMarked
package dev.keelson.benchmarks.outbox;

import org.jspecify.annotations.NullMarked;
