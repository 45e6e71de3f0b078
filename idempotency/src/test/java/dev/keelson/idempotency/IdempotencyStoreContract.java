package dev.keelson.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.testing.Concurrently;
import dev.keelson.testing.ServerTime;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every idempotency store promises, checked through {@link Idempotency} on each backend. */
public abstract class IdempotencyStoreContract {

  protected static final Duration LEASE = Duration.ofMillis(500);
  protected static final Duration RETENTION = Duration.ofSeconds(2);

  protected final RecordingIdempotencyListener events = new RecordingIdempotencyListener();
  private final AtomicInteger executions = new AtomicInteger();
  private String namespace;

  /** The backend's store, the same for every call within a test. */
  protected abstract IdempotencyStore store();

  /** Waits (or moves the store's clock) until a lease or retention of this length has run out. */
  protected abstract void letPass(Duration duration);

  /** The clock the store's times are read against. */
  protected Clock clock() {
    return Clock.systemUTC();
  }

  @BeforeEach
  void namespace() {
    namespace = "tenant-" + UUID.randomUUID();
  }

  private Idempotency.Builder<String> idempotency() {
    return Idempotency.builder(store(), ResultSerializer.UTF8)
        .lease(LEASE)
        .retention(RETENTION)
        .clock(clock())
        .listener(events);
  }

  private IdempotencyKey key(String key) {
    return IdempotencyKey.of(namespace, key);
  }

  private static Fingerprint fingerprint(String body) {
    return Fingerprint.builder().add("method", "POST").add("body", body).build();
  }

  private String charge(String result) {
    executions.incrementAndGet();
    return result;
  }

  @Test
  void theFirstRequestExecutesAndItsDuplicatesReplayTheStoredResult() {
    Idempotency<String> payments = idempotency().build();

    Outcome<String> first =
        payments.execute(key("k1"), fingerprint("pay 10"), () -> charge("ch_1"));
    Outcome<String> second =
        payments.execute(key("k1"), fingerprint("pay 10"), () -> charge("ch_2"));

    assertThat(first).isEqualTo(new Outcome.Executed<>("ch_1"));
    assertThat(second).isEqualTo(new Outcome.Replayed<>("ch_1"));
    assertThat(executions).hasValue(1);
    assertThat(events.heard()).containsExactly("executed k1", "replayed k1");
  }

  @Test
  void theSameKeyWithAnotherRequestIsAMismatchAndExecutesNothing() {
    Idempotency<String> payments = idempotency().build();
    payments.execute(key("k1"), fingerprint("pay 10"), () -> charge("ch_1"));

    Outcome<String> reused =
        payments.execute(key("k1"), fingerprint("pay 99"), () -> charge("ch_2"));

    assertThat(reused).isEqualTo(new Outcome.Mismatch<>());
    assertThat(executions).hasValue(1);
  }

  @Test
  void namespacesNeverSeeEachOthersResults() {
    Idempotency<String> payments = idempotency().build();
    IdempotencyKey alice = IdempotencyKey.of(namespace + "-alice", "same-key");
    IdempotencyKey bob = IdempotencyKey.of(namespace + "-bob", "same-key");
    IdempotencyKey tricky = IdempotencyKey.of(namespace + "-alice:same", "key");

    assertThat(payments.execute(alice, fingerprint("x"), () -> charge("alice's")))
        .isEqualTo(new Outcome.Executed<>("alice's"));
    assertThat(payments.execute(bob, fingerprint("x"), () -> charge("bob's")))
        .isEqualTo(new Outcome.Executed<>("bob's"));
    assertThat(payments.execute(tricky, fingerprint("x"), () -> charge("tricky's")))
        .isEqualTo(new Outcome.Executed<>("tricky's"));
  }

  @Test
  void aDuplicateWhileTheFirstRunsGetsInProgressOrWaitsForTheResult() throws Exception {
    Idempotency<String> payments = idempotency().build();
    Idempotency<String> patient = idempotency().waitForRunning(Duration.ofSeconds(5)).build();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch finish = new CountDownLatch(1);
    Thread first =
        new Thread(
            () ->
                payments.execute(
                    key("k1"),
                    fingerprint("pay"),
                    () -> {
                      running.countDown();
                      await(finish);
                      return charge("ch_1");
                    }));
    first.start();
    assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();

    Outcome<String> impatient = payments.execute(key("k1"), fingerprint("pay"), () -> charge("x"));
    assertThat(impatient).isInstanceOf(Outcome.InProgress.class);
    assertThat(((Outcome.InProgress<String>) impatient).retryAfter())
        .isPositive()
        .isLessThanOrEqualTo(LEASE);

    Thread release = new Thread(finish::countDown);
    release.start();
    Outcome<String> waited = patient.execute(key("k1"), fingerprint("pay"), () -> charge("y"));
    first.join();

    assertThat(waited).isEqualTo(new Outcome.Replayed<>("ch_1"));
    assertThat(executions).hasValue(1);
  }

  @Test
  void aRetryableFailureReleasesTheKeySoTheRetryExecutes() {
    Idempotency<String> payments = idempotency().build();

    assertThatThrownBy(
            () ->
                payments.execute(
                    key("k1"),
                    fingerprint("pay"),
                    () -> {
                      throw new IllegalStateException("bank timed out");
                    }))
        .hasMessage("bank timed out");

    assertThat(payments.execute(key("k1"), fingerprint("pay"), () -> charge("ch_1")))
        .isEqualTo(new Outcome.Executed<>("ch_1"));
  }

  @Test
  void aPermanentFailureCanBeStoredAndReplayed() {
    Idempotency<String> payments =
        idempotency()
            .storeFailures(
                failure -> !(failure instanceof IllegalArgumentException),
                failure -> "declined: " + failure.getMessage())
            .build();

    assertThatThrownBy(
            () ->
                payments.execute(
                    key("k1"),
                    fingerprint("pay"),
                    () -> {
                      throw new IllegalArgumentException("card expired");
                    }))
        .hasMessage("card expired");

    assertThat(payments.execute(key("k1"), fingerprint("pay"), () -> charge("ch_1")))
        .isEqualTo(new Outcome.Replayed<>("declined: card expired"));
    assertThat(executions).hasValue(0);
  }

  @Test
  void aDeadExecutorsKeyExecutesOnceMoreAfterItsLeaseAndItsLateCompletionIsRefused() {
    Idempotency<String> payments = idempotency().build();
    IdempotencyStore.Begin dead =
        store().begin(key("k1"), fingerprint("pay"), "dead-executor", LEASE, RETENTION);
    assertThat(dead).isEqualTo(new IdempotencyStore.Started(false));
    assertThat(payments.execute(key("k1"), fingerprint("pay"), () -> charge("too soon")))
        .isInstanceOf(Outcome.InProgress.class);

    letPass(LEASE);
    Outcome<String> rescued = payments.execute(key("k1"), fingerprint("pay"), () -> charge("ch_2"));
    boolean lateCompletion =
        store()
            .complete(
                key("k1"), "dead-executor", "ch_1".getBytes(StandardCharsets.UTF_8), RETENTION);

    assertThat(rescued).isEqualTo(new Outcome.Executed<>("ch_2"));
    assertThat(lateCompletion).isFalse();
    assertThat(store().release(key("k1"), "dead-executor")).isFalse();
    assertThat(payments.execute(key("k1"), fingerprint("pay"), () -> charge("again")))
        .isEqualTo(new Outcome.Replayed<>("ch_2"));
    assertThat(executions).hasValue(1);
    assertThat(events.heard()).contains("lease expired k1");
  }

  @Test
  void aRecordPastItsRetentionIsForgotten() {
    Idempotency<String> payments = idempotency().build();
    payments.execute(key("k1"), fingerprint("pay"), () -> charge("ch_1"));

    letPass(RETENTION);

    assertThat(payments.execute(key("k1"), fingerprint("other"), () -> charge("ch_2")))
        .as("a new request, even with another fingerprint")
        .isEqualTo(new Outcome.Executed<>("ch_2"));
  }

  @Test
  void sixtyFourConcurrentIdenticalRequestsExecuteExactlyOnce() {
    // A lease long enough for 64 connections opened at once on a small machine: this test is
    // about racing duplicates, not about a lease running out (which lets a duplicate execute).
    Idempotency<String> payments =
        idempotency().lease(Duration.ofSeconds(20)).retention(Duration.ofMinutes(1)).build();
    Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();

    Concurrently.run(
        64,
        request -> {
          Outcome<String> outcome =
              payments.execute(
                  key("k1"),
                  fingerprint("pay"),
                  () -> {
                    ServerTime.letPass(Duration.ofMillis(20)); // long enough to be overlapped
                    return charge("ch_1");
                  });
          outcomes
              .computeIfAbsent(outcome.getClass().getSimpleName(), kind -> new AtomicInteger())
              .incrementAndGet();
        });

    assertThat(events.heard()).doesNotContain("lease expired k1");
    assertThat(executions).hasValue(1);
    assertThat(outcomes.get("Executed")).hasValue(1);
    assertThat(outcomes.keySet()).isSubsetOf("Executed", "Replayed", "InProgress");
    assertThat(payments.execute(key("k1"), fingerprint("pay"), () -> charge("x")))
        .isEqualTo(new Outcome.Replayed<>("ch_1"));
  }

  @Test
  void aResultOverTheSizeLimitIsNotKeptButTheRequestNeverExecutesAgain() {
    Idempotency<String> payments = idempotency().maxResultBytes(10).build();

    assertThat(payments.execute(key("k1"), fingerprint("pay"), () -> charge("eleven bytes")))
        .as("the caller has its result")
        .isEqualTo(new Outcome.Executed<>("eleven bytes"));
    assertThat(payments.execute(key("k1"), fingerprint("pay"), () -> charge("again")))
        .isEqualTo(new Outcome.CompletedWithoutResult<>());

    assertThat(executions).hasValue(1);
    assertThat(events.heard())
        .containsExactly("result not kept k1", "executed k1", "completed without result k1");
  }

  @Test
  void aResultThatCannotBeSerializedIsNotKeptButTheRequestNeverExecutesAgain() {
    ResultSerializer<String> broken =
        new ResultSerializer<>() {
          @Override
          public byte[] serialize(String result) {
            throw new IllegalStateException("no form for " + result);
          }

          @Override
          public String deserialize(byte[] stored) {
            throw new IllegalStateException("never stored");
          }
        };
    Idempotency<String> payments =
        Idempotency.builder(store(), broken).lease(LEASE).retention(RETENTION).build();

    assertThat(payments.execute(key("k1"), fingerprint("pay"), () -> charge("ch_1")))
        .isEqualTo(new Outcome.Executed<>("ch_1"));
    assertThat(payments.execute(key("k1"), fingerprint("pay"), () -> charge("ch_2")))
        .isEqualTo(new Outcome.CompletedWithoutResult<>());
    assertThat(executions).hasValue(1);
  }

  @Test
  void aStoreWriteThatFailsAfterTheEffectStillStopsReExecution() {
    IdempotencyStore failingOnce = new FailsToKeepResults(store());
    Idempotency<String> payments =
        Idempotency.builder(failingOnce, ResultSerializer.UTF8)
            .lease(LEASE)
            .retention(RETENTION)
            .listener(events)
            .build();

    assertThat(payments.execute(key("k1"), fingerprint("pay"), () -> charge("ch_1")))
        .isEqualTo(new Outcome.Executed<>("ch_1"));
    letPass(LEASE);

    assertThat(payments.execute(key("k1"), fingerprint("pay"), () -> charge("ch_2")))
        .as("even after the first call's lease ran out")
        .isEqualTo(new Outcome.CompletedWithoutResult<>());
    assertThat(executions).hasValue(1);
    assertThat(events.heard()).startsWith("store error k1", "result not kept k1", "executed k1");
  }

  @Test
  void aCallThatOutlastsItsLeaseIsNotReportedAsExecuted() {
    Idempotency<String> payments = idempotency().build();
    AtomicInteger nested = new AtomicInteger();

    Outcome<String> slow =
        payments.execute(
            key("k1"),
            fingerprint("pay"),
            () -> {
              letPass(LEASE);
              // Meanwhile a retry took the key over and executed too.
              assertThat(payments.execute(key("k1"), fingerprint("pay"), () -> charge("ch_2")))
                  .isEqualTo(new Outcome.Executed<>("ch_2"));
              nested.incrementAndGet();
              return charge("ch_1");
            });

    assertThat(nested).hasValue(1);
    assertThat(slow).isEqualTo(new Outcome.LeaseLost<>("ch_1"));
    assertThat(payments.execute(key("k1"), fingerprint("pay"), () -> charge("x")))
        .as("the execution that held the key stands")
        .isEqualTo(new Outcome.Replayed<>("ch_2"));
    assertThat(events.heard())
        .containsExactly("lease expired k1", "executed k1", "stale completion k1", "replayed k1");
  }

  @Test
  void aStoreCalledDirectlyRejectsBadArgumentsAndChangesNothing() {
    Fingerprint pay = fingerprint("pay");

    assertThatThrownBy(() -> store().begin(key("k1"), pay, "", LEASE, RETENTION))
        .hasMessageStartingWith("owner: ");
    assertThatThrownBy(() -> store().begin(key("k1"), pay, "o".repeat(65), LEASE, RETENTION))
        .hasMessageStartingWith("owner: ");
    assertThatThrownBy(() -> store().begin(key("k1"), pay, "o", Duration.ZERO, RETENTION))
        .hasMessageStartingWith("lease: ");
    assertThatThrownBy(() -> store().begin(key("k1"), pay, "o", RETENTION, LEASE))
        .hasMessageStartingWith("lease: ");
    assertThatThrownBy(() -> store().begin(key("k1"), pay, "o", LEASE, Duration.ofDays(1_000_000)))
        .hasMessageStartingWith("retention: ");
    assertThatThrownBy(() -> store().complete(key("k1"), "o", new byte[0], Duration.ZERO))
        .hasMessageStartingWith("retention: ");

    assertThat(store().begin(key("k1"), pay, "o", LEASE, RETENTION))
        .isEqualTo(new IdempotencyStore.Started(false));
  }

  @Test
  void keysThatDifferOnlyInAnUnpairedSurrogateAreRefused() {
    assertThatThrownBy(() -> IdempotencyKey.of(namespace, "k\ud800"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("key: ");
    assertThatThrownBy(() -> IdempotencyKey.of(namespace + "\udfff", "k"))
        .hasMessageStartingWith("namespace: ");
  }

  @Test
  void keysWithBracesOrPercentSignsStayDistinct() {
    Idempotency<String> payments = idempotency().build();
    String[] keys = {"a{b}c", "a%7Bb%7Dc", "a%257Bb", "{x}", "%7Bx%7D"};
    for (String k : keys) {
      assertThat(payments.execute(key(k), fingerprint("pay"), () -> charge(k)))
          .isEqualTo(new Outcome.Executed<>(k));
    }
    for (String k : keys) {
      assertThat(payments.execute(key(k), fingerprint("pay"), () -> charge("again")))
          .isEqualTo(new Outcome.Replayed<>(k));
    }
  }

  /** A real store whose every write of a result fails, as a store that times out would. */
  private static final class FailsToKeepResults implements IdempotencyStore {
    private final IdempotencyStore real;

    FailsToKeepResults(IdempotencyStore real) {
      this.real = real;
    }

    @Override
    public Begin begin(
        IdempotencyKey key,
        Fingerprint fingerprint,
        String owner,
        Duration lease,
        Duration retention) {
      return real.begin(key, fingerprint, owner, lease, retention);
    }

    @Override
    public boolean complete(IdempotencyKey key, String owner, byte[] result, Duration retention) {
      throw new IllegalStateException("the store timed out writing the result");
    }

    @Override
    public boolean completeWithoutResult(IdempotencyKey key, String owner, Duration retention) {
      return real.completeWithoutResult(key, owner, retention);
    }

    @Override
    public boolean release(IdempotencyKey key, String owner) {
      return real.release(key, owner);
    }
  }

  @Test
  void theLocalCacheReplaysWithoutTheStore() {
    Idempotency<String> payments = idempotency().localCache(1000, Duration.ofMinutes(1)).build();
    payments.execute(key("k1"), fingerprint("pay"), () -> charge("ch_1"));

    assertThat(payments.execute(key("k1"), fingerprint("pay"), () -> charge("x")))
        .isEqualTo(new Outcome.Replayed<>("ch_1"));
    assertThat(payments.execute(key("k1"), fingerprint("other"), () -> charge("x")))
        .isEqualTo(new Outcome.Mismatch<>());
    assertThat(events.heard())
        .containsExactly("executed k1", "replayed k1 from the local cache", "mismatch k1");
  }

  @Test
  void badInputIsRejectedByNameAndChangesNothing() {
    Idempotency<String> payments = idempotency().build();

    assertThatThrownBy(() -> IdempotencyKey.of(namespace, "")).hasMessageStartingWith("key: ");
    assertThatThrownBy(() -> IdempotencyKey.of(namespace, "k".repeat(256)))
        .hasMessageStartingWith("key: must be 1 to 255 characters, not 256");
    assertThatThrownBy(() -> IdempotencyKey.of("", "k")).hasMessageStartingWith("namespace: ");
    assertThatThrownBy(() -> IdempotencyKey.of(namespace, "a\nb"))
        .hasMessageContaining("control characters");
    assertThatThrownBy(() -> payments.execute(key("k1"), null, () -> "x"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("fingerprint");
    assertThatThrownBy(() -> idempotency().lease(Duration.ofSeconds(5)).build())
        .hasMessageStartingWith("lease: PT5S must be shorter than the retention");
    assertThatThrownBy(() -> idempotency().maxResultBytes(0))
        .hasMessageStartingWith("maxResultBytes");

    assertThat(payments.execute(key("k1"), fingerprint("pay"), () -> charge("ch_1")))
        .isEqualTo(new Outcome.Executed<>("ch_1"));
    assertThat(executions).hasValue(1);
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
