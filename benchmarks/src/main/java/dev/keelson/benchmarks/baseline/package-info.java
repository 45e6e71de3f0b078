/**
 * The physical baselines every other group is compared to: a direct call, Redis round trips
 * (standalone and Cluster) and PostgreSQL round trips, each without Keelson in the way.
 */
@NullMarked
package dev.keelson.benchmarks.baseline;

import org.jspecify.annotations.NullMarked;
