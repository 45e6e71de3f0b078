/**
 * What Keelson's public API shares across modules: the monotonic {@link dev.keelson.core.Ticker}
 * that measures durations (wall-clock timestamps use {@link java.time.Clock}) and the {@link
 * dev.keelson.core.EvictionCheck} every Redis backend takes, and the root of Keelson's failures,
 * {@link dev.keelson.core.KeelsonException}, with the {@link dev.keelson.core.BackendException} of
 * a database that failed.
 */
@NullMarked
package dev.keelson.core;

import org.jspecify.annotations.NullMarked;
