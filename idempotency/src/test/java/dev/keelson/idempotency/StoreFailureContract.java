package dev.keelson.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.testing.FaultProxy;
import dev.keelson.testing.ServerControl;
import dev.keelson.testing.ServerTime;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A store that is killed, blackholed or dies mid-request never leads to a second execution: the
 * request is refused while the store cannot be asked, and a record written before a crash stands
 * after the restart. The store is reached through a {@link FaultProxy}.
 */
public abstract class StoreFailureContract {

  private static final Duration LEASE = Duration.ofSeconds(3);

  /** Long enough for a killed store to restart within it. */
  private static final Duration LONG_LEASE = Duration.ofSeconds(20);

  private final AtomicInteger executions = new AtomicInteger();
  private final RecordingIdempotencyListener events = new RecordingIdempotencyListener();
  private final IdempotencyKey key = IdempotencyKey.of("tenant", "k-" + UUID.randomUUID());
  private final Fingerprint fingerprint = Fingerprint.builder().add("body", "pay 10").build();

  /** The store, reached through {@link #proxy()}, with calls that time out within a second. */
  protected abstract IdempotencyStore store();

  protected abstract FaultProxy proxy();

  protected abstract ServerControl server();

  private Idempotency<String> payments() {
    return payments(LEASE);
  }

  private Idempotency<String> payments(Duration lease) {
    return Idempotency.builder(store(), ResultSerializer.UTF8)
        .lease(lease)
        .retention(Duration.ofMinutes(5))
        .listener(events)
        .build();
  }

  /**
   * Calls until the client has reconnected to the restarted server: until then every call is
   * refused without executing (which is the promise), so retrying is safe.
   */
  private static Outcome<String> onceReconnected(Supplier<Outcome<String>> call) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (true) {
      try {
        return call.get();
      } catch (IdempotencyStoreException refused) {
        assertThat(refused.executed()).isFalse();
        if (System.nanoTime() > deadline) {
          throw refused;
        }
        ServerTime.letPass(Duration.ofMillis(100));
      }
    }
  }

  private String charge() {
    executions.incrementAndGet();
    return "ch_" + executions.get();
  }

  @Test
  void aKilledStoreRefusesTheRequestWithoutExecutingIt() {
    server().kill();
    try {
      assertThatThrownBy(() -> payments().execute(key, fingerprint, this::charge))
          .isInstanceOfSatisfying(
              IdempotencyStoreException.class,
              e -> assertThat(e.executed()).as("executed").isFalse())
          .hasMessageContaining("not executed (fail closed)");
    } finally {
      server().start();
    }

    assertThat(executions).hasValue(0);
    assertThat(events.heard()).containsExactly("store error " + key.key());
    assertThat(onceReconnected(() -> payments().execute(key, fingerprint, this::charge)))
        .isEqualTo(new Outcome.Executed<>("ch_1"));
  }

  @Test
  void aBlackholedStoreRefusesTheRequestWithoutExecutingIt() {
    proxy().blackhole();
    try {
      assertThatThrownBy(() -> payments().execute(key, fingerprint, this::charge))
          .isInstanceOf(IdempotencyStoreException.class);
    } finally {
      proxy().resetAll();
      proxy().heal();
    }

    assertThat(executions).hasValue(0);
  }

  @Test
  void aStoreCutOffForLessThanTheLeaseAfterTheEffectStillStopsReExecution() throws Exception {
    java.util.concurrent.ScheduledExecutorService healer =
        java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
    try {
      Outcome<String> first =
          payments()
              .execute(
                  key,
                  fingerprint,
                  () -> {
                    proxy().blackhole(); // the completion's write meets a partition...
                    healer.schedule(
                        proxy()::heal, 1500, java.util.concurrent.TimeUnit.MILLISECONDS);
                    return charge(); // ...that heals well within the 3 s lease
                  });

      assertThat(first).isEqualTo(new Outcome.Executed<>("ch_1"));
    } finally {
      healer.shutdownNow();
      proxy().heal();
    }
    ServerTime.letPass(LEASE);

    assertThat(onceReconnected(() -> payments().execute(key, fingerprint, this::charge)))
        .as("the completion, with or without its result, was recorded")
        .isIn(new Outcome.Replayed<>("ch_1"), new Outcome.CompletedWithoutResult<>());
    assertThat(executions).hasValue(1);
  }

  @Test
  void aStoreThatDiesMidRequestAndComesBackWithinTheLeaseRecordsTheCompletion() throws Exception {
    java.util.concurrent.ExecutorService restarter =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      Outcome<String> first =
          payments(LONG_LEASE)
              .execute(
                  key,
                  fingerprint,
                  () -> {
                    server().kill(); // the completion meets a dead store...
                    restarter.submit(server()::start); // ...restarted well within the lease
                    return charge();
                  });

      assertThat(first).isEqualTo(new Outcome.Executed<>("ch_1"));
    } finally {
      restarter.shutdown();
      assertThat(restarter.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    assertThat(onceReconnected(() -> payments(LONG_LEASE).execute(key, fingerprint, this::charge)))
        .as("the record written before the crash stood, and its completion was recorded")
        .isIn(new Outcome.Replayed<>("ch_1"), new Outcome.CompletedWithoutResult<>());
    assertThat(executions).hasValue(1);
  }

  @Test
  void aStoreThatStaysDeadForTheWholeLeaseTellsTheCallerItExecutedButRecordedNothing() {
    long started = System.nanoTime();
    assertThatThrownBy(
            () ->
                payments()
                    .execute(
                        key,
                        fingerprint,
                        () -> {
                          server().kill();
                          return charge();
                        }))
        .isInstanceOfSatisfying(
            IdempotencyStoreException.class, e -> assertThat(e.executed()).isTrue())
        .hasMessageContaining("executed but the idempotency store failed to record it");
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .as("the completion was tried again until the lease had nearly run out")
        .isGreaterThan(LEASE.minusSeconds(1));
    server().start();
    ServerTime.letPass(Duration.ofSeconds(1)); // what was left of the lease when the caller gave up

    // The documented limit: once the lease has run out, a retry executes again (as after a crash).
    assertThat(onceReconnected(() -> payments().execute(key, fingerprint, this::charge)))
        .isEqualTo(new Outcome.Executed<>("ch_2"));
  }
}
