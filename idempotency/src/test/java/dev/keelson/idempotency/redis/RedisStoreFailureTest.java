package dev.keelson.idempotency.redis;

import dev.keelson.idempotency.IdempotencyStore;
import dev.keelson.idempotency.StoreFailureContract;
import dev.keelson.testing.FaultProxy;
import dev.keelson.testing.RedisServer;
import dev.keelson.testing.ServerControl;
import dev.keelson.testing.WithRedis;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** Redis with an append-only file, fsynced on every write, killed, blackholed and restarted. */
@WithRedis(appendOnly = true)
class RedisStoreFailureTest extends StoreFailureContract {

  private final RedisServer redis;
  private final FaultProxy proxy;
  private final RedisClient client;
  private final RedisIdempotencyStore store;

  RedisStoreFailureTest(RedisServer redis) {
    this.redis = redis;
    this.proxy = FaultProxy.start(redis.host(), redis.port());
    this.client = RedisClient.create();
    client.setOptions(
        ClientOptions.builder()
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .build());
    this.store =
        RedisIdempotencyStore.builder(client.connect(RedisURI.create(proxy.host(), proxy.port())))
            .keyPrefix(redis.keyPrefix())
            .timeout(Duration.ofMillis(500))
            .build();
  }

  @AfterEach
  void disconnect() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    proxy.close();
  }

  @Override
  protected IdempotencyStore store() {
    return store;
  }

  @Override
  protected FaultProxy proxy() {
    return proxy;
  }

  @Override
  protected ServerControl server() {
    return redis.control();
  }
}
