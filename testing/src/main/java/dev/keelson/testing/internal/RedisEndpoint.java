package dev.keelson.testing.internal;

import io.lettuce.core.RedisURI;
import org.jspecify.annotations.Nullable;

/**
 * A Redis server the tests can use, however it was provided.
 *
 * @param uri where it listens
 * @param description how it was provided, for the test report
 * @param process the local process, or null for an external server or a container
 */
public record RedisEndpoint(RedisURI uri, String description, @Nullable ServerProcess process) {}
