package dev.keelson.testing.internal;

import io.lettuce.core.RedisURI;
import java.util.List;

/**
 * A Redis Cluster the tests can use, however it was provided.
 *
 * @param seeds addresses of one or more of its nodes
 * @param description how it was provided, for the test report
 * @param processes the local node processes, empty for an external cluster
 */
public record RedisClusterEndpoint(
    List<RedisURI> seeds, String description, List<ServerProcess> processes) {}
