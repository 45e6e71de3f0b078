/**
 * What Keelson's public API shares across modules: the monotonic {@link dev.keelson.core.Ticker}
 * that measures durations (wall-clock timestamps use {@link java.time.Clock}) and the {@link
 * dev.keelson.core.EvictionCheck} every Redis backend takes.
 */
@NullMarked
package dev.keelson.core;

import org.jspecify.annotations.NullMarked;
