/**
 * What two or more Keelson modules share: the monotonic {@link dev.keelson.core.Ticker} that
 * measures durations. Wall-clock timestamps use {@link java.time.Clock}.
 */
@NullMarked
package dev.keelson.core;

import org.jspecify.annotations.NullMarked;
