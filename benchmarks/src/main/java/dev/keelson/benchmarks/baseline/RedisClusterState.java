package dev.keelson.benchmarks.baseline;

import dev.keelson.core.internal.redis.RedisScriptRunner;
import dev.keelson.testing.Servers;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.util.List;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/** One Lettuce connection to a three-master Redis Cluster, provided as for tests. */
@State(Scope.Benchmark)
public class RedisClusterState {

  RedisClusterClient client;
  StatefulRedisClusterConnection<String, String> connection;
  RedisScriptRunner runner;

  @Setup(Level.Trial)
  public void connect() {
    client = RedisClusterClient.create(Servers.redisCluster());
    connection = client.connect();
    runner = RedisScriptRunner.on(connection);
    // Caches the script on the node that owns the key, as its first real call would.
    runner.run(RedisState.TRIVIAL, List.of(RedisState.KEY));
  }

  @TearDown(Level.Trial)
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
  }
}
