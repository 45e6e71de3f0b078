/**
 * Micrometer meters for Keelson: {@link dev.keelson.micrometer.RetryMetrics}, {@link
 * dev.keelson.micrometer.RateLimitMetrics}, {@link dev.keelson.micrometer.IdempotencyMetrics},
 * {@link dev.keelson.micrometer.OutboxMetrics} and {@link dev.keelson.micrometer.LeasingMetrics}
 * are each their module's listener: give one to the components' builders (combined with a listener
 * of your own by the module's {@code XListener.of(..)}), and it counts and times their events,
 * tagged by the component's name, never by a key. {@link dev.keelson.micrometer.Health} is the
 * summary an operator reads per component.
 */
@NullMarked
package dev.keelson.micrometer;

import org.jspecify.annotations.NullMarked;
