package dev.keelson.ratelimit.redis;

import dev.keelson.testing.FaultProxy;
import dev.keelson.testing.RedisClusterServer;
import dev.keelson.testing.WithRedisCluster;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.internal.HostAndPort;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DnsResolvers;
import io.lettuce.core.resource.MappingSocketAddressResolver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The failure policies on a Cluster whose every node is reached through a fault proxy. */
@WithRedisCluster
class ClusterFailurePolicyTest extends FailurePolicyContract {

  private static final Logger log = LoggerFactory.getLogger(ClusterFailurePolicyTest.class);

  private RedisClusterServer cluster;
  private ClientResources resources;
  private RedisClusterClient client;
  private final List<StatefulConnection<String, String>> connections = new ArrayList<>();

  @BeforeEach
  void proxyEveryNode(RedisClusterServer cluster) {
    this.cluster = cluster;
    Map<Integer, FaultProxy> byPort = new HashMap<>();
    for (RedisClusterNode node : cluster.connect().getPartitions()) {
      RedisURI uri = node.getUri();
      FaultProxy proxy = FaultProxy.start(uri.getHost(), uri.getPort());
      byPort.put(uri.getPort(), proxy);
      proxies.add(proxy);
    }
    // The nodes announce their own addresses; the client reaches each through its proxy.
    resources =
        ClientResources.builder()
            .socketAddressResolver(
                MappingSocketAddressResolver.create(
                    DnsResolvers.UNRESOLVED,
                    (HostAndPort node) -> {
                      FaultProxy proxy = byPort.get(node.getPort());
                      return proxy == null ? node : HostAndPort.of(proxy.host(), proxy.port());
                    }))
            .build();
    client = RedisClusterClient.create(resources, cluster.seeds());
  }

  @Override
  void shutDownClient() {
    connections.forEach(StatefulConnection::close);
    // A cluster client whose connections were reset while reconnecting can wait for an attempt
    // that never completes: bounded, so one stuck attempt cannot hang the build.
    try {
      client.shutdownAsync(0, 2, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      log.warn("the cluster client did not shut down within 10 s; going on");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  @Override
  StatefulConnection<String, String> connectThroughProxies() {
    StatefulConnection<String, String> connection = client.connect();
    connections.add(connection);
    return connection;
  }

  @Override
  String prefix() {
    return cluster.keyPrefix();
  }
}
