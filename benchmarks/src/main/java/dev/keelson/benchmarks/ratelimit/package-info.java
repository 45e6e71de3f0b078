/** The rate limiter's benchmarks, beside Bucket4j, Resilience4j and Guava. */
@NullMarked
package dev.keelson.benchmarks.ratelimit;

import org.jspecify.annotations.NullMarked;
