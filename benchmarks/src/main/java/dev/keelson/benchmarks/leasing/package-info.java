/** The leasing module's benchmarks: lease operations and the task queue, per backend. */
@NullMarked
package dev.keelson.benchmarks.leasing;

import org.jspecify.annotations.NullMarked;
