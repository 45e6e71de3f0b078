package dev.keelson.testing;

import dev.keelson.testing.internal.RedisClusterEndpoint;
import dev.keelson.testing.internal.SharedServers;
import dev.keelson.testing.internal.Started;

/**
 * Resolves {@link RedisClusterServer} parameters for classes annotated {@link WithRedisCluster}.
 */
public final class RedisClusterExtension
    extends ServerExtension<WithRedisCluster, RedisClusterServer> {

  public RedisClusterExtension() {
    super(WithRedisCluster.class, RedisClusterServer.class);
  }

  @Override
  RedisClusterServer open(WithRedisCluster annotation, TestScope scope) {
    if (!annotation.dedicated()) {
      return new RedisClusterServer(SharedServers.redisCluster(), scope, false);
    }
    Started<RedisClusterEndpoint> started = scope.register(SharedServers.dedicatedRedisCluster());
    return new RedisClusterServer(started.endpoint(), scope, true);
  }
}
