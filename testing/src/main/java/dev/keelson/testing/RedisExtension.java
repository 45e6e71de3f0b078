package dev.keelson.testing;

import dev.keelson.testing.internal.RedisEndpoint;
import dev.keelson.testing.internal.SharedServers;
import dev.keelson.testing.internal.Started;

/** Resolves {@link RedisServer} parameters for classes annotated {@link WithRedis}. */
public final class RedisExtension extends ServerExtension<WithRedis, RedisServer> {

  public RedisExtension() {
    super(WithRedis.class, RedisServer.class);
  }

  @Override
  RedisServer open(WithRedis annotation, TestScope scope) {
    boolean dedicated = annotation.dedicated() || annotation.appendOnly();
    if (!dedicated) {
      return new RedisServer(SharedServers.redis(), scope, false);
    }
    Started<RedisEndpoint> started =
        scope.register(SharedServers.dedicatedRedis(annotation.appendOnly()));
    return new RedisServer(started.endpoint(), scope, true);
  }
}
