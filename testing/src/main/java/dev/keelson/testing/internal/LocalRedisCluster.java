package dev.keelson.testing.internal;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A Redis Cluster of three masters (no replicas) made of local {@code redis-server} processes: the
 * 16384 slots split in three ranges, the nodes introduced with {@code CLUSTER MEET}, ready once
 * every node reports {@code cluster_state:ok} and knows all three.
 */
public final class LocalRedisCluster implements AutoCloseable {

  public static final int MASTERS = 3;
  public static final int SLOTS = 16384;
  private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(60);

  private final List<LocalRedis> nodes;

  private LocalRedisCluster(List<LocalRedis> nodes) {
    this.nodes = List.copyOf(nodes);
  }

  public static LocalRedisCluster start() {
    List<LocalRedis> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < MASTERS; i++) {
        nodes.add(LocalRedis.start(true, true));
      }
      form(nodes);
      return new LocalRedisCluster(nodes);
    } catch (RuntimeException e) {
      nodes.forEach(LocalRedis::close);
      throw e;
    }
  }

  public List<LocalRedis> nodes() {
    return nodes;
  }

  public List<RedisURI> uris() {
    return nodes.stream().map(LocalRedis::uri).toList();
  }

  public String description() {
    return "local 3-master Redis Cluster on ports "
        + nodes.stream().map(n -> Integer.toString(n.port())).toList()
        + " ("
        + nodes.get(0).description()
        + " and its siblings)";
  }

  @Override
  public void close() {
    nodes.forEach(LocalRedis::close);
  }

  private static void form(List<LocalRedis> nodes) {
    RedisClient client = RedisClient.create();
    List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
    try {
      for (LocalRedis node : nodes) {
        connections.add(client.connect(node.uri()));
      }
      for (int i = 0; i < nodes.size(); i++) {
        int from = i * SLOTS / nodes.size();
        int to = (i + 1) * SLOTS / nodes.size();
        connections.get(i).sync().clusterAddSlots(IntStream.range(from, to).toArray());
      }
      RedisCommands<String, String> first = connections.get(0).sync();
      for (LocalRedis node : nodes.subList(1, nodes.size())) {
        first.clusterMeet("127.0.0.1", node.port());
      }
      awaitHealthy(connections);
    } finally {
      connections.forEach(StatefulRedisConnection::close);
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  /** Waits until every node reports the cluster healthy and complete. */
  public static void awaitHealthy(List<StatefulRedisConnection<String, String>> connections) {
    long deadline = System.nanoTime() + FORMATION_TIMEOUT.toNanos();
    String lastInfo = "";
    while (System.nanoTime() < deadline) {
      boolean healthy = true;
      for (StatefulRedisConnection<String, String> connection : connections) {
        lastInfo = connection.sync().clusterInfo();
        healthy &=
            lastInfo.contains("cluster_state:ok")
                && lastInfo.contains("cluster_known_nodes:" + connections.size())
                && lastInfo.contains("cluster_slots_ok:" + SLOTS);
      }
      if (healthy) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the cluster formed", e);
      }
    }
    throw new IllegalStateException(
        "Redis Cluster not healthy within "
            + FORMATION_TIMEOUT
            + "; last CLUSTER INFO:\n"
            + lastInfo);
  }
}
