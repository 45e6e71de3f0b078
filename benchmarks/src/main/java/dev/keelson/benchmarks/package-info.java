/**
 * Keelson's JMH benchmarks and the harness that runs them and writes {@code RESULTS.md}. A
 * benchmark class declares its group with {@link dev.keelson.benchmarks.BenchmarkGroup} and marks
 * its methods {@link dev.keelson.benchmarks.Baseline} or {@link dev.keelson.benchmarks.Peer};
 * unmarked methods measure Keelson itself.
 */
@NullMarked
package dev.keelson.benchmarks;

import org.jspecify.annotations.NullMarked;
