/**
 * Real servers for tests, without Docker: annotate a test class with {@link
 * dev.keelson.testing.WithRedis}, {@link dev.keelson.testing.WithRedisCluster} or {@link
 * dev.keelson.testing.WithPostgres} and take a {@link dev.keelson.testing.RedisServer}, {@link
 * dev.keelson.testing.RedisClusterServer} or {@link dev.keelson.testing.PostgresDatabase} as a
 * parameter. Also a {@link dev.keelson.testing.FaultProxy} for network faults and a {@link
 * dev.keelson.testing.ManualClock} for time.
 */
@NullMarked
package dev.keelson.testing;

import org.jspecify.annotations.NullMarked;
