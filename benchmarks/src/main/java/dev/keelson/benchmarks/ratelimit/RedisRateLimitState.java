package dev.keelson.benchmarks.ratelimit;

import dev.keelson.ratelimit.RateLimit;
import dev.keelson.ratelimit.redis.RedisRateLimiter;
import dev.keelson.testing.Servers;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.github.bucket4j.redis.lettuce.cas.LettuceBasedProxyManager;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One Lettuce connection for Keelson and one for Bucket4j's Lettuce backend, to the same Redis; the
 * same token bucket for both (a million per second, so every request is granted), over 10,000 keys
 * or one hot key.
 */
@State(Scope.Benchmark)
public class RedisRateLimitState {

  static final int KEYS = 10_000;
  static final String HOT = "hot";
  private static final long PER_SECOND = 1_000_000;

  RedisClient client;
  StatefulRedisConnection<String, String> connection;
  StatefulRedisConnection<String, byte[]> bucket4jConnection;
  RedisRateLimiter keelson;
  BucketProxy[] bucket4j;
  AsyncBucketProxy[] bucket4jAsync;
  BucketProxy bucket4jHot;
  String[] keys;
  String tokenBucketSha;

  @Setup(Level.Trial)
  public void connect() {
    client = RedisClient.create();
    connection = client.connect(Servers.redis());
    bucket4jConnection =
        client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE), Servers.redis());
    keelson =
        RedisRateLimiter.on(
            connection, RateLimit.tokenBucket("bench", PER_SECOND, Duration.ofSeconds(1)));
    LettuceBasedProxyManager<String> proxies =
        Bucket4jLettuce.casBasedBuilder(bucket4jConnection)
            .expirationAfterWrite(
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                    Duration.ofSeconds(10)))
            .build();
    BucketConfiguration configuration =
        BucketConfiguration.builder()
            .addLimit(
                Bandwidth.builder()
                    .capacity(PER_SECOND)
                    .refillGreedy(PER_SECOND, Duration.ofSeconds(1))
                    .build())
            .build();
    // Load the script by making one decision; its digest is what EVALSHA needs.
    keelson.tryAcquire("warm-up", 1);
    tokenBucketSha = tokenBucketSha();
    keys = new String[KEYS];
    bucket4j = new BucketProxy[KEYS];
    bucket4jAsync = new AsyncBucketProxy[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "tenant-" + i;
      bucket4j[i] = proxies.builder().build("bucket4j:" + keys[i], () -> configuration);
      bucket4jAsync[i] =
          proxies
              .asAsync()
              .builder()
              .build("bucket4j:" + keys[i], () -> CompletableFuture.completedFuture(configuration));
    }
    bucket4jHot = proxies.builder().build("bucket4j:" + HOT, () -> configuration);
  }

  /** The token bucket script's digest, which {@code EVALSHA} takes. */
  static String tokenBucketSha() {
    try (java.io.InputStream script =
        RedisRateLimiter.class.getResourceAsStream("token_bucket.lua")) {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-1").digest(script.readAllBytes()));
    } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot read the token bucket script", e);
    }
  }

  int nextKey() {
    return ThreadLocalRandom.current().nextInt(KEYS);
  }

  /** A random key's Redis key, for the token bucket script sent bare. */
  String[] nextScriptKeys() {
    return new String[] {keelson.redisKey(keys[nextKey()])};
  }

  /** The script's arguments, as Keelson sends them for one permit of {@link #keelson}'s rule. */
  static final String[] SCRIPT_ARGS = {"1", Long.toString(PER_SECOND), "1000000"};

  /** The token bucket script for a random key, sent bare by Lettuce: no limiter around it. */
  List<Object> bareScript() {
    return connection
        .sync()
        .evalsha(tokenBucketSha, ScriptOutputType.MULTI, nextScriptKeys(), SCRIPT_ARGS);
  }

  /** {@link #bareScript()} without waiting for the reply. */
  RedisFuture<List<Object>> bareScriptAsync() {
    return connection
        .async()
        .evalsha(tokenBucketSha, ScriptOutputType.MULTI, nextScriptKeys(), SCRIPT_ARGS);
  }

  @TearDown(Level.Trial)
  public void close() {
    connection.close();
    bucket4jConnection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
