package dev.keelson.ratelimit.redis;

import dev.keelson.testing.FaultProxy;
import dev.keelson.testing.RedisServer;
import dev.keelson.testing.WithRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;

@WithRedis
class StandaloneFailurePolicyTest extends FailurePolicyContract {

  private RedisServer redis;
  private RedisClient client;

  @BeforeEach
  void proxy(RedisServer redis) {
    this.redis = redis;
    proxies.add(FaultProxy.start(redis.host(), redis.port()));
    client = RedisClient.create();
  }

  @Override
  void shutDownClient() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }

  @Override
  StatefulConnection<String, String> connectThroughProxies() {
    FaultProxy proxy = proxies.get(0);
    return client.connect(RedisURI.create(proxy.host(), proxy.port()));
  }

  @Override
  String prefix() {
    return redis.keyPrefix();
  }
}
