package dev.keelson.core.internal.redis;

import dev.keelson.core.EvictionCheck;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the eviction policy of a Redis server, or of every Cluster master, and acts on it as an
 * {@link EvictionCheck} says.
 */
public final class EvictionPolicy {

  private static final Logger log = LoggerFactory.getLogger(EvictionPolicy.class);
  private static final Duration INFO_TIMEOUT = Duration.ofSeconds(5);

  private EvictionPolicy() {}

  /**
   * Checks the eviction policy of the server, or of every Cluster master, behind a connection.
   *
   * @param check what to do when a node may evict
   * @param connection a standalone or Cluster connection, any codec
   * @param component what is being built and what eviction would break, for the message: "a lease
   *     store (an evicted lease lets a second holder in)"
   * @throws IllegalStateException under {@link EvictionCheck#REFUSE}, if a node may evict keys
   */
  public static void check(
      EvictionCheck check, StatefulConnection<?, ?> connection, String component) {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(component, "component");
    if (check == EvictionCheck.SKIP) {
      return;
    }
    List<Node> nodes;
    try {
      nodes = nodes(connection);
    } catch (RuntimeException e) {
      log.warn("cannot reach the Redis nodes for {}; not checked: {}", component, e.toString());
      return;
    }
    for (Node node : nodes) {
      Memory memory;
      try {
        memory = memory(node.connection());
      } catch (RuntimeException e) {
        log.warn(
            "cannot read the maxmemory-policy of Redis {} for {}; not checked: {}",
            node.name(),
            component,
            e.toString());
        continue;
      }
      if (memory.mayEvict()) {
        String problem =
            "Redis "
                + node.name()
                + " has maxmemory-policy "
                + memory.policy()
                + ": it may evict the keys of "
                + component
                + " when memory runs short. Set maxmemory-policy noeviction (and size maxmemory),"
                + " or build with EvictionCheck.WARN to accept the risk";
        if (check == EvictionCheck.REFUSE) {
          throw new IllegalStateException(problem);
        }
        log.warn(problem);
      }
    }
  }

  /** A node to check and how to name it. */
  private record Node(String name, StatefulConnection<?, ?> connection) {}

  /**
   * A node's memory settings. With {@code maxmemory 0} Redis never evicts, whatever the policy,
   * until someone sets a limit.
   */
  private record Memory(String policy, long maxmemory) {
    boolean mayEvict() {
      return maxmemory != 0 && !"noeviction".equals(policy);
    }
  }

  private static List<Node> nodes(StatefulConnection<?, ?> connection) {
    if (!(connection instanceof StatefulRedisClusterConnection<?, ?> cluster)) {
      return List.of(new Node("server", connection));
    }
    List<Node> masters = new ArrayList<>();
    for (RedisClusterNode node : cluster.getPartitions()) {
      if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
        StatefulRedisConnection<?, ?> direct = cluster.getConnection(node.getNodeId());
        masters.add(new Node("master " + node.getUri(), direct));
      }
    }
    return masters;
  }

  /** The node's {@code maxmemory_policy} and {@code maxmemory} from {@code INFO memory}. */
  private static Memory memory(StatefulConnection<?, ?> connection) {
    AsyncCommand<String, String, String> info =
        new AsyncCommand<>(
            new Command<>(
                CommandType.INFO,
                new StatusOutput<>(StringCodec.UTF8),
                new CommandArgs<>(StringCodec.UTF8).add("memory")));
    dispatch(connection, info);
    String text = LettuceFutures.awaitOrCancel(info, INFO_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    @Nullable String policy = null;
    long maxmemory = -1;
    for (String line : text.split("\r?\n")) {
      if (line.startsWith("maxmemory_policy:")) {
        policy = line.substring("maxmemory_policy:".length()).trim();
      } else if (line.startsWith("maxmemory:")) {
        maxmemory = Long.parseLong(line.substring("maxmemory:".length()).trim());
      }
    }
    if (policy == null || maxmemory < 0) {
      throw new IllegalStateException("INFO memory has no maxmemory_policy or maxmemory");
    }
    return new Memory(policy, maxmemory);
  }

  // The command carries its own UTF-8 codec and output, so the connection's codec never sees it.
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void dispatch(StatefulConnection<?, ?> connection, AsyncCommand<?, ?, ?> command) {
    ((StatefulConnection) connection).dispatch(command);
  }
}
