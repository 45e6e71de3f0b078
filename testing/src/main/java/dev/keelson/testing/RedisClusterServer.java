package dev.keelson.testing;

import dev.keelson.testing.internal.LocalRedisCluster;
import dev.keelson.testing.internal.RedisClusterEndpoint;
import dev.keelson.testing.internal.ServerProcess;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A real Redis Cluster of three masters as one test class sees it: its seed addresses, a key prefix
 * no other class uses, and clients closed when the class is done. Injected by {@link
 * WithRedisCluster}.
 */
public final class RedisClusterServer {

  private final RedisClusterEndpoint endpoint;
  private final TestScope scope;
  private final boolean dedicated;
  private @Nullable RedisClusterClient client;
  private @Nullable StatefulRedisClusterConnection<String, String> shared;

  RedisClusterServer(RedisClusterEndpoint endpoint, TestScope scope, boolean dedicated) {
    this.endpoint = endpoint;
    this.scope = scope;
    this.dedicated = dedicated;
  }

  /**
   * @return addresses of the cluster's nodes (for a local cluster, all three masters)
   */
  public List<RedisURI> seeds() {
    return endpoint.seeds();
  }

  /**
   * A prefix for every key this class writes, unique to the class in this run. It contains no
   * hash-tag braces, so tests add their own tags.
   *
   * @return the prefix, ending in a colon
   */
  public String keyPrefix() {
    return scope.keyPrefix();
  }

  /**
   * @return how the cluster was provided, for reports
   */
  public String description() {
    return endpoint.description();
  }

  /**
   * A cluster client for this class, shut down when the class is done. Lettuce refreshes its view
   * of the topology on redirects and reconnects (adaptive refresh is on by default).
   *
   * @return the client
   */
  public synchronized RedisClusterClient client() {
    if (client == null) {
      RedisClusterClient created = RedisClusterClient.create(endpoint.seeds());
      scope.register(() -> created.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
      client = created;
    }
    return client;
  }

  /**
   * A new cluster connection, closed when the class is done.
   *
   * @return the connection
   */
  public StatefulRedisClusterConnection<String, String> connect() {
    return scope.register(client().connect());
  }

  /**
   * Controls one node's process: stop, kill, restart on the same port (it rejoins the cluster from
   * its {@code nodes.conf}; its data survives through its append-only file).
   *
   * @param index the node, 0 to 2
   * @return the control
   * @throws IllegalStateException unless the class declared {@code @WithRedisCluster(dedicated =
   *     true)}
   */
  public ServerControl node(int index) {
    List<ServerProcess> processes = endpoint.processes();
    ServerProcess process = index >= 0 && index < processes.size() ? processes.get(index) : null;
    if (dedicated && process == null) {
      throw new IllegalArgumentException(
          "index: " + index + " is not a node (0 to " + (processes.size() - 1) + ")");
    }
    return ProcessControl.of(process, dedicated, "@WithRedisCluster");
  }

  /**
   * Runs a command on every master, through this class's cluster connection.
   *
   * @param command what to run on each
   */
  public void forEachMaster(Consumer<RedisCommands<String, String>> command) {
    StatefulRedisClusterConnection<String, String> connection = sharedConnection();
    for (RedisClusterNode node : connection.getPartitions()) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
        command.accept(connection.getConnection(node.getNodeId()).sync());
      }
    }
  }

  /**
   * Runs a command on the master that owns a key's slot.
   *
   * @param key the key
   * @param command what to run
   * @param <T> its result
   * @return its result
   */
  public <T> T onMasterOf(String key, Function<RedisCommands<String, String>, T> command) {
    StatefulRedisClusterConnection<String, String> connection = sharedConnection();
    RedisClusterNode owner = connection.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
    return command.apply(connection.getConnection(owner.getNodeId()).sync());
  }

  private synchronized StatefulRedisClusterConnection<String, String> sharedConnection() {
    if (shared == null) {
      shared = connect();
    }
    return shared;
  }

  /**
   * Waits until every node reports {@code cluster_state:ok} with all slots covered, for example
   * after a node restarts.
   */
  public void awaitHealthy() {
    RedisClient plain = RedisClient.create();
    List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
    try {
      for (RedisURI seed : endpoint.seeds()) {
        connections.add(plain.connect(seed));
      }
      LocalRedisCluster.awaitHealthy(connections);
    } finally {
      connections.forEach(StatefulRedisConnection::close);
      plain.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  @Override
  public String toString() {
    return "RedisClusterServer[" + description() + "]";
  }
}
