/**
 * The retry module's benchmarks: the success-path overhead of a call through a policy beside
 * Failsafe and Resilience4j, and the retry-storm simulation.
 */
@NullMarked
package dev.keelson.benchmarks.retry;

import org.jspecify.annotations.NullMarked;
