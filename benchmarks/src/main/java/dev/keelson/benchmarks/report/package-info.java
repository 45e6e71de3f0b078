/** Turns JMH results into {@code RESULTS.md}: tables, ratios and SVG charts per group. */
@NullMarked
package dev.keelson.benchmarks.report;

import org.jspecify.annotations.NullMarked;
