/**
 * Real servers for tests, without Docker: annotate a test class with {@link
 * dev.keelson.testing.WithRedis}, {@link dev.keelson.testing.WithRedisCluster}, {@link
 * dev.keelson.testing.WithPostgres} or {@link dev.keelson.testing.WithKafka} and take a {@link
 * dev.keelson.testing.RedisServer}, {@link dev.keelson.testing.RedisClusterServer}, {@link
 * dev.keelson.testing.PostgresDatabase} or {@link dev.keelson.testing.KafkaServer} as a parameter.
 * Also a {@link dev.keelson.testing.FaultProxy} for network faults and a {@link
 * dev.keelson.testing.ManualClock} for time.
 */
@NullMarked
package dev.keelson.testing;

import org.jspecify.annotations.NullMarked;
