package dev.keelson.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.testing.Concurrently;
import dev.keelson.testing.FaultProxy;
import dev.keelson.testing.PostgresDatabase;
import dev.keelson.testing.ServerTime;
import dev.keelson.testing.WithPostgres;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@WithPostgres
class PostgresOutboxTest extends OutboxContract {

  private final PostgresDatabase database;
  private final Outbox outbox =
      Outbox.builder().table("outbox_" + UUID.randomUUID().toString().replace("-", "")).build();

  PostgresOutboxTest(PostgresDatabase database) {
    this.database = database;
    outbox.createSchema(database.dataSource());
  }

  @Override
  protected DataSource database() {
    return database.dataSource();
  }

  @Override
  protected Outbox outbox() {
    return outbox;
  }

  @Test
  void fourRelaysPublishEveryMessageAndNeverBreakTheOrderOfAKey() throws Exception {
    int keys = 20;
    int perKey = 15;
    // Each batch takes a random while, so the relays' batches overlap and finish out of order.
    Publisher slow =
        batch -> {
          ServerTime.letPass(Duration.ofMillis(ThreadLocalRandom.current().nextInt(1, 10)));
          return publisher.publish(batch);
        };
    // A backlog first, so the relays compete for the same keys from the start.
    appendInOrder(keys, 0, 10);
    List<OutboxRelay> relays = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      OutboxRelay relay =
          relay(dataSource(), slow).batchSize(5).pollInterval(Duration.ofMillis(20)).build();
      relays.add(relay);
      relay.start();
    }
    try {
      appendInOrder(keys, 10, perKey); // and more while they run
      awaitEachDelivered(keys * perKey);
    } finally {
      relays.forEach(OutboxRelay::close);
    }

    Map<String, Integer> deliveredUpTo = new HashMap<>();
    for (String payload : payloads(publisher.delivered())) {
      String key = payload.substring(0, payload.indexOf(':'));
      int index = Integer.parseInt(payload.substring(payload.indexOf(':') + 1));
      int upTo = deliveredUpTo.getOrDefault(key, -1);
      assertThat(index)
          .as("%s delivered after every earlier message of its key", payload)
          .isLessThanOrEqualTo(upTo + 1);
      deliveredUpTo.put(key, Math.max(upTo, index));
    }
    assertThat(deliveredUpTo)
        .hasSize(keys)
        .allSatisfy((key, upTo) -> assertThat(upTo).isEqualTo(perKey - 1));
    assertThat(relays.get(0).backlog().pending()).isZero();
  }

  /** Four writers append messages {@code from..to-1} of every key, each key's in order. */
  private void appendInOrder(int keys, int from, int to) {
    Concurrently.run(
        4,
        writer -> {
          for (int i = from; i < to; i++) {
            for (int k = writer; k < keys; k += 4) {
              commit(message("key-" + k, "key-" + k + ":" + i));
            }
          }
        });
  }

  private void awaitEachDelivered(int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (publisher.delivered().stream().map(OutboxMessage::id).distinct().count() < count) {
      assertThat(System.nanoTime()).as("all delivered within a minute").isLessThan(deadline);
      ServerTime.letPass(Duration.ofMillis(50));
    }
  }

  @Test
  void aRelayCutOffMidBatchLosesNothing() {
    for (int i = 0; i < 10; i++) {
      commit(message("k" + i, "m" + i));
    }
    Duration claimTime = Duration.ofMillis(500);
    try (FaultProxy proxy = FaultProxy.start(database.host(), database.port())) {
      // The relay publishes, then loses its database before it can record the results.
      Publisher publishThenLoseTheDatabase =
          batch -> {
            CompletableFuture<List<PublishResult>> results =
                publisher.publish(batch).toCompletableFuture();
            proxy.refuseNew();
            proxy.resetAll();
            return results;
          };
      OutboxRelay cutOff =
          relay(autoCommit().applyTo(database.dataSourceThrough(proxy)), publishThenLoseTheDatabase)
              .claimTime(claimTime)
              .batchSize(4)
              .build();
      assertThatThrownBy(cutOff::runOnce)
          .hasMessageContaining(
              holdsRows()
                  ? "cannot claim, publish and record messages in one transaction in "
                  : "cannot record the results in ");
    }

    OutboxRelay survivor = relay().claimTime(claimTime).build();
    if (holdsRows()) {
      // A held round lets go of its rows when PostgreSQL sees its session end: soon, not after the
      // claim time.
      int handled = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (handled < 10 && System.nanoTime() - deadline < 0) {
        handled += survivor.runOnce();
      }
      assertThat(handled).as("every row free again within seconds").isEqualTo(10);
    } else {
      assertThat(survivor.runOnce()).as("the cut-off claims still stand").isEqualTo(6);
      ServerTime.letPass(claimTime);
    }
    drain(survivor);

    // At least once: the cut-off batch was delivered, then delivered again; nothing was lost.
    List<String> payloads = payloads(publisher.delivered());
    assertThat(payloads).hasSize(14);
    assertThat(payloads.stream().distinct())
        .containsExactlyInAnyOrder("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9");
  }

  /**
   * What a relay thread dying in the middle of a batch looks like from inside: an error of the
   * virtual machine, which the relay lets through.
   */
  private static final class RelayKilled extends VirtualMachineError {
    private static final long serialVersionUID = 1L;
  }

  @Test
  void aRelayWhoseThreadDiesMidBatchLosesNothing() {
    commit(message("a", "a1"), message("a", "a2"), message("b", "b1"));
    Duration claimTime = Duration.ofMillis(300);
    OutboxRelay dying =
        relay(
                dataSource(),
                batch -> {
                  throw new RelayKilled();
                })
            .claimTime(claimTime)
            .build();
    assertThatThrownBy(dying::runOnce).isInstanceOf(RelayKilled.class);

    OutboxRelay survivor = relay().claimTime(claimTime).build();
    assertThat(survivor.runOnce())
        .as(holdsRows() ? "a held round's rows are free at once" : "the dead relay's claims stand")
        .isEqualTo(holdsRows() ? 2 : 0);
    ServerTime.letPass(claimTime);
    drain(survivor);

    assertThat(payloads(publisher.delivered())).containsExactly("a1", "b1", "a2");
  }

  @Test
  void aCommitWakesAListeningRelayAtOnce() {
    OutboxRelay relay = relay().pollInterval(Duration.ofMinutes(1)).build();
    relay.start();
    try {
      ServerTime.letPass(Duration.ofMillis(300)); // it has found nothing and listens
      commit(message("k", "wake up"));

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (publisher.delivered().isEmpty() && System.nanoTime() < deadline) {
        ServerTime.letPass(Duration.ofMillis(10));
      }
      assertThat(payloads(publisher.delivered()))
          .as("delivered long before the one-minute poll")
          .containsExactly("wake up");
    } finally {
      relay.close();
    }
  }

  @Test
  void createSchemaLeavesARightTriggerAsItIsAndDropsItWhenAppendsNeedNotNotify() throws Exception {
    long trigger = notifyTrigger();
    outbox.createSchema(database.dataSource()); // an instance starting again

    assertThat(notifyTrigger())
        .as("the same trigger: not dropped and made again")
        .isEqualTo(trigger);

    Outbox quiet = Outbox.builder().table(outbox.table()).notifyOnCommit(false).build();
    quiet.createSchema(database.dataSource());
    quiet.createSchema(database.dataSource()); // nothing to drop the second time
    assertThat(notifyTrigger()).as("no trigger: appends notify nobody").isZero();

    // Without notifications a relay finds the message by polling, LISTEN or not.
    OutboxRelay relay = relay().pollInterval(Duration.ofMillis(100)).build();
    relay.start();
    try {
      ServerTime.letPass(Duration.ofMillis(300)); // it has found nothing and listens
      commit(message("k", "found by polling"));
      awaitDelivered(1);
      assertThat(payloads(publisher.delivered())).containsExactly("found by polling");
    } finally {
      relay.close();
    }

    outbox.createSchema(database.dataSource());
    assertThat(notifyTrigger()).as("asked for again: made again").isNotZero();
  }

  /** The oid of the outbox's notify trigger, or 0 when it has none. */
  private long notifyTrigger() throws SQLException {
    try (Connection connection = database.connect();
        var statement =
            connection.prepareStatement(
                "SELECT oid FROM pg_trigger WHERE tgrelid = ?::regclass AND tgname = ?")) {
      statement.setString(1, outbox.table());
      statement.setString(2, outbox.table() + "_notify");
      try (var row = statement.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    }
  }

  @Test
  void aRelayThatCannotListenPollsWithoutAnError() {
    List<Exception> reported = new CopyOnWriteArrayList<>();
    OutboxRelay relay =
        relay(withoutTheDriversConnection(dataSource()), publisher)
            .pollInterval(Duration.ofMillis(100))
            .listener(
                new OutboxListener() {
                  @Override
                  public void onRelayError(String relay, Exception error) {
                    reported.add(error);
                  }
                })
            .build();
    relay.start();
    try {
      ServerTime.letPass(Duration.ofMillis(300)); // it has found nothing, and no PGConnection
      commit(message("k", "polled"));

      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (publisher.delivered().isEmpty() && System.nanoTime() < deadline) {
        ServerTime.letPass(Duration.ofMillis(10));
      }
      assertThat(payloads(publisher.delivered())).containsExactly("polled");
      assertThat(reported).as("no round failed").isEmpty();
    } finally {
      relay.close();
    }
  }

  /**
   * The data source with connections that do not unwrap to the driver's, as a pool that cannot
   * unwrap, or a driver that a named module cannot read, has them.
   */
  private static DataSource withoutTheDriversConnection(DataSource dataSource) {
    InvocationHandler connections =
        (proxy, method, args) -> {
          Object result = invoke(dataSource, method, args);
          if (!method.getName().equals("getConnection")) {
            return result;
          }
          Connection connection = (Connection) result;
          return Proxy.newProxyInstance(
              Connection.class.getClassLoader(),
              new Class<?>[] {Connection.class},
              (p, m, a) -> {
                if (m.getName().equals("unwrap")) {
                  throw new SQLException("this connection does not unwrap");
                }
                return m.getName().equals("isWrapperFor") ? false : invoke(connection, m, a);
              });
        };
    return (DataSource)
        Proxy.newProxyInstance(
            DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, connections);
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Test
  void closeFinishesTheBatchInHand() {
    commit(message("k", "in hand"));
    Publisher slow =
        batch -> {
          ServerTime.letPass(Duration.ofMillis(300));
          return publisher.publish(batch);
        };
    OutboxRelay relay = relay(dataSource(), slow).build();
    relay.start();
    ServerTime.letPass(Duration.ofMillis(100));

    relay.close();

    assertThat(payloads(publisher.delivered())).containsExactly("in hand");
    assertThat(relay.backlog().pending()).isZero();
  }

  @Test
  void theBacklogShowsTheLagOfTheOldestPendingMessage() {
    commit(message("k", "waiting"));
    ServerTime.letPass(Duration.ofMillis(200));

    Backlog backlog = relay().build().backlog();

    assertThat(backlog.pending()).isEqualTo(1);
    assertThat(backlog.oldestPendingAge()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }
}
