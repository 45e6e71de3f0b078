package dev.keelson.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@WithRedis
class FaultProxyTest {

  /** Long enough for a connection handshake on a loaded machine; the blackhole test waits it. */
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private FaultProxy proxy;
  private RedisClient client;
  private RedisURI viaProxy;

  @BeforeEach
  void startProxy(RedisServer redis) {
    proxy = FaultProxy.start(redis.host(), redis.port());
    viaProxy =
        RedisURI.builder()
            .withHost(proxy.host())
            .withPort(proxy.port())
            .withTimeout(TIMEOUT)
            .build();
    client = RedisClient.create();
    // Fail commands at once while disconnected, so a cut connection is visible to the test.
    client.setOptions(
        ClientOptions.builder()
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .build());
  }

  @AfterEach
  void stopProxy() {
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    proxy.close();
  }

  @Test
  void passesTrafficThroughUnchanged(RedisServer redis) {
    RedisCommands<String, String> commands = client.connect(viaProxy).sync();
    String value = "x".repeat(100_000);

    commands.set(redis.keyPrefix() + "big", value);

    assertThat(commands.get(redis.keyPrefix() + "big")).isEqualTo(value);
    assertThat(proxy.openConnections()).isEqualTo(1);
  }

  @Test
  void latencyDelaysEveryRoundTrip() {
    RedisCommands<String, String> commands = client.connect(viaProxy).sync();
    commands.ping();

    proxy.addLatency(Duration.ofMillis(100));
    long start = System.nanoTime();
    commands.ping();
    long elapsed = System.nanoTime() - start;

    assertThat(Duration.ofNanos(elapsed)).isGreaterThanOrEqualTo(Duration.ofMillis(100));

    proxy.heal();
    long fastest = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      start = System.nanoTime();
      commands.ping();
      fastest = Math.min(fastest, System.nanoTime() - start);
    }
    assertThat(Duration.ofNanos(fastest)).isLessThan(Duration.ofMillis(100));
  }

  @Test
  void aBlackholeTimesCommandsOutAndHealingDeliversAgain() {
    RedisCommands<String, String> commands = client.connect(viaProxy).sync();
    assertThat(commands.ping()).isEqualTo("PONG");

    proxy.blackhole();

    assertThatThrownBy(commands::ping).isInstanceOf(RedisCommandTimeoutException.class);

    proxy.heal();
    assertThat(commands.ping()).isEqualTo("PONG");
  }

  @Test
  void aResetClosesConnectionsAndClientsReconnectAfterHealing() {
    StatefulRedisConnection<String, String> connection = client.connect(viaProxy);
    assertThat(connection.sync().ping()).isEqualTo("PONG");

    proxy.refuseNew();
    proxy.resetAll();

    awaitTrue(() -> !connection.isOpen(), "the client sees its connection closed");
    assertThatThrownBy(() -> connection.sync().ping()).isInstanceOf(RedisException.class);

    proxy.heal();
    awaitTrue(connection::isOpen, "the client reconnects");
    assertThat(connection.sync().ping()).isEqualTo("PONG");
  }

  @Test
  void refusedConnectionsFailUntilHealed() {
    proxy.refuseNew();

    assertThatThrownBy(() -> client.connect(viaProxy)).isInstanceOf(RedisConnectionException.class);

    proxy.heal();
    assertThat(client.connect(viaProxy).sync().ping()).isEqualTo("PONG");
  }

  @Test
  void manyThreadsThroughOneProxyLoseNothing(RedisServer redis) throws Exception {
    String counter = redis.keyPrefix() + "counter";
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        work.add(
            pool.submit(
                () -> {
                  try (StatefulRedisConnection<String, String> connection =
                      client.connect(viaProxy)) {
                    for (int i = 0; i < 250; i++) {
                      connection.sync().incr(counter);
                    }
                  }
                  return null;
                }));
        if (t == 4) {
          proxy.addLatency(Duration.ofMillis(1));
        }
      }
      for (Future<?> future : work) {
        future.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(redis.connect().sync().get(counter)).isEqualTo("2000");
  }

  @Test
  void rejectsABadTarget() {
    assertThatThrownBy(() -> FaultProxy.start("127.0.0.1", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("targetPort");
    assertThatThrownBy(() -> proxy.addLatency(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("latency");
  }

  private static void awaitTrue(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.onSpinWait();
    }
  }
}
