package dev.keelson.benchmarks.baseline;

import dev.keelson.core.internal.redis.RedisScript;
import dev.keelson.core.internal.redis.RedisScriptRunner;
import dev.keelson.core.internal.redis.ScriptResult;
import dev.keelson.testing.Servers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One Lettuce connection to a standalone Redis, provided as for tests ({@code KEELSON_REDIS_URI},
 * Docker, or a local server), shared by the benchmark's threads.
 */
@State(Scope.Benchmark)
public class RedisState {

  /** A script that does nothing, so only the round trip is measured. */
  public static final RedisScript<Long> TRIVIAL =
      RedisScript.fromResource(RedisState.class, "trivial.lua", ScriptResult.LONG);

  public static final String KEY = "{keelson-bench}:trivial";

  RedisClient client;
  StatefulRedisConnection<String, String> connection;
  RedisScriptRunner runner;

  @Setup(Level.Trial)
  public void connect() {
    client = RedisClient.create();
    connection = client.connect(Servers.redis());
    runner = RedisScriptRunner.on(connection);
    connection.sync().scriptLoad(TRIVIAL.source());
  }

  @TearDown(Level.Trial)
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
