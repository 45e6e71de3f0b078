/**
 * What the Micrometer binders cost: a rate-limit decision and a retried call with and without a
 * binder, on the registry most users scrape (Prometheus) and on Micrometer's simple one, and one
 * event told to a binder on its own.
 */
@NullMarked
package dev.keelson.benchmarks.micrometer;

import org.jspecify.annotations.NullMarked;
