package dev.keelson.idempotency;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.keelson.core.internal.Checks;
import dev.keelson.core.internal.Listeners;
import dev.keelson.core.internal.Names;
import dev.keelson.idempotency.internal.IdempotencyChecks;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes a request once per idempotency key: the first call executes, duplicates while it runs
 * get {@link Outcome.InProgress} (or wait for the result, if configured), duplicates after it get
 * the stored result {@linkplain Outcome.Replayed replayed}, and the key reused with another request
 * gets {@link Outcome.Mismatch}. A failure the classifier calls retryable releases the key, so the
 * client's retry executes; other failures can be stored and replayed.
 *
 * <p>An execution holds the key under a lease with an owner token: if the executor dies, the key
 * can be executed again once the lease runs out, and the dead owner's late completion is refused.
 * So the lease must be longer than the longest execution: a call that outlasts it, if another call
 * took the key over meanwhile, gets {@link Outcome.LeaseLost}, never {@link Outcome.Executed}. If
 * the store fails, nothing is executed ({@link IdempotencyStoreException}): never a second
 * execution behind the caller's back.
 *
 * <p>A completed request never executes again within its retention: a result that cannot be kept
 * (larger than {@code maxResultBytes}, not serializable, or refused by the store) still marks the
 * key executed, and duplicates get {@link Outcome.CompletedWithoutResult}. Only when the store can
 * record nothing at all does the key stay in progress, until its lease runs out.
 *
 * @param <T> the result
 */
public final class Idempotency<T> {

  private static final Logger log = LoggerFactory.getLogger(Idempotency.class);

  private final IdempotencyStore store;
  private final ResultSerializer<T> serializer;
  private final Duration lease;
  private final Duration retention;
  private final Duration waitForRunning;
  private final int maxResultBytes;
  private final Predicate<RuntimeException> retryable;
  private final @Nullable Function<RuntimeException, T> failureAsResult;
  private final String name;
  private final IdempotencyListener listener;
  private final @Nullable Cache<IdempotencyKey, Stored> localCache;
  private final Clock clock;
  // Owner tokens: unique across JVMs by the random prefix, cheap per call by the counter
  // (a UUID per call costs a SecureRandom draw, more than a replay from memory).
  private final String ownerPrefix = UUID.randomUUID() + "-";
  private final AtomicLong executions = new AtomicLong();

  private Idempotency(Builder<T> builder) {
    this.store = builder.store;
    this.serializer = builder.serializer;
    this.lease = builder.lease;
    this.retention = builder.retention;
    this.waitForRunning = builder.waitForRunning;
    this.maxResultBytes = builder.maxResultBytes;
    this.retryable = builder.retryable;
    this.failureAsResult = builder.failureAsResult;
    this.name = builder.name;
    this.listener = builder.listener;
    this.clock = builder.clock;
    this.localCache =
        builder.localCacheSize == 0
            ? null
            : Caffeine.newBuilder()
                .maximumSize(builder.localCacheSize)
                .expireAfterWrite(min(builder.localCacheTtl, retention))
                .build();
  }

  /**
   * @param store where the records live
   * @param serializer turns results into stored bytes and back
   * @param <T> the result
   * @return a builder
   */
  public static <T> Builder<T> builder(IdempotencyStore store, ResultSerializer<T> serializer) {
    return new Builder<>(store, serializer);
  }

  /**
   * Executes the action once for the key, or says why not.
   *
   * @param key the client's key in its namespace
   * @param fingerprint what the request asks for
   * @param action the request's effect and result; its exceptions reach the caller
   * @return what happened
   * @throws IdempotencyStoreException if the store failed: the message says whether the action ran
   */
  public Outcome<T> execute(IdempotencyKey key, Fingerprint fingerprint, Supplier<T> action) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(action, "action");
    Outcome<T> cached = fromLocalCache(key, fingerprint);
    if (cached != null) {
      return cached;
    }
    String owner = ownerPrefix + executions.incrementAndGet();
    long waitUntil = System.nanoTime() + waitForRunning.toNanos();
    long pollMillis = 10;
    while (true) {
      long leaseEnds = System.nanoTime() + lease.toNanos(); // by the latest the store's lease ends
      IdempotencyStore.Begin begin = begin(key, fingerprint, owner);
      if (begin instanceof IdempotencyStore.Started started) {
        if (started.tookOver()) {
          notify("onLeaseExpired", l -> l.onLeaseExpired(name, key));
        }
        return run(new Execution(key, fingerprint, owner, leaseEnds), action);
      }
      if (begin instanceof IdempotencyStore.Completed completed) {
        remember(key, fingerprint, completed.result());
        if (listener != IdempotencyListener.NONE) { // the no-op listener costs no event
          notify("onReplayed", l -> l.onReplayed(name, key, false));
        }
        return new Outcome.Replayed<>(serializer.deserialize(completed.result()));
      }
      if (begin instanceof IdempotencyStore.CompletedWithoutResult) {
        notify("onCompletedWithoutResult", l -> l.onCompletedWithoutResult(name, key));
        return new Outcome.CompletedWithoutResult<>();
      }
      if (begin instanceof IdempotencyStore.Mismatch) {
        notify("onMismatch", l -> l.onMismatch(name, key));
        return new Outcome.Mismatch<>();
      }
      IdempotencyStore.Running running = (IdempotencyStore.Running) begin;
      if (System.nanoTime() - waitUntil >= 0) {
        notify("onInProgress", l -> l.onInProgress(name, key));
        Duration left = Duration.between(clock.instant(), running.leaseExpiresAt());
        return new Outcome.InProgress<>(left.isNegative() ? Duration.ZERO : min(left, lease));
      }
      sleep(pollMillis);
      pollMillis = Math.min(pollMillis * 2, 250);
    }
  }

  private @Nullable Outcome<T> fromLocalCache(IdempotencyKey key, Fingerprint fingerprint) {
    if (localCache == null) {
      return null;
    }
    Stored stored = localCache.getIfPresent(key);
    if (stored == null) {
      return null;
    }
    if (!stored.fingerprint().equals(fingerprint)) {
      notify("onMismatch", l -> l.onMismatch(name, key));
      return new Outcome.Mismatch<>();
    }
    if (listener != IdempotencyListener.NONE) { // a replay from memory allocates nothing
      notify("onReplayed", l -> l.onReplayed(name, key, true));
    }
    return new Outcome.Replayed<>(serializer.deserialize(stored.result()));
  }

  private IdempotencyStore.Begin begin(IdempotencyKey key, Fingerprint fingerprint, String owner) {
    try {
      return store.begin(key, fingerprint, owner, lease, retention);
    } catch (RuntimeException e) {
      notify("onStoreError", l -> l.onStoreError(name, key, e));
      throw new IdempotencyStoreException(
          "the idempotency store failed, so the request was not executed (fail closed): "
              + e.getMessage(),
          false,
          e);
    }
  }

  /** One execution of a key: who holds it, and until when at the latest. */
  private record Execution(
      IdempotencyKey key, Fingerprint fingerprint, String owner, long leaseEndsNanos) {}

  private Outcome<T> run(Execution execution, Supplier<T> action) {
    T result;
    try {
      result = action.get();
    } catch (RuntimeException failure) {
      if (retryable.test(failure) || failureAsResult == null) {
        release(execution, failure);
        throw failure;
      }
      complete(execution, failureAsResult.apply(failure));
      throw failure;
    }
    if (!complete(execution, result)) {
      return new Outcome.LeaseLost<>(result);
    }
    if (listener != IdempotencyListener.NONE) { // the no-op listener costs no event
      notify("onExecuted", l -> l.onExecuted(name, execution.key()));
    }
    return new Outcome.Executed<>(result);
  }

  /**
   * Stores the result; if it cannot be kept, marks the key executed without it, so that nothing
   * executes the request again.
   *
   * @return false if the lease had run out and another owner took the key over
   * @throws IdempotencyStoreException if the store could record neither before the lease ended
   */
  private boolean complete(Execution execution, T result) {
    IdempotencyKey key = execution.key();
    byte[] bytes;
    try {
      bytes = serializer.serialize(result);
    } catch (RuntimeException e) {
      return completeWithoutResult(execution, "the result could not be serialized: " + e, e);
    }
    if (bytes.length > maxResultBytes) {
      return completeWithoutResult(
          execution,
          "the result is " + bytes.length + " bytes, more than maxResultBytes " + maxResultBytes,
          null);
    }
    boolean stored;
    try {
      stored = store.complete(key, execution.owner(), bytes, retention);
    } catch (RuntimeException e) {
      notify("onStoreError", l -> l.onStoreError(name, key, e));
      return completeWithoutResult(
          execution,
          "the store failed to keep the result (if the write landed after all, duplicates replay"
              + " it): "
              + e.getMessage(),
          e);
    }
    if (stored) {
      remember(key, execution.fingerprint(), bytes);
    } else {
      notify("onStaleCompletion", l -> l.onStaleCompletion(name, key));
    }
    return stored;
  }

  /**
   * Marks the key executed without its result, trying again while the lease lasts: a store that
   * failed a moment ago (a timeout, a failover) often answers a moment later, and until the lease
   * runs out no one else can execute the key.
   */
  private boolean completeWithoutResult(
      Execution execution, String notKept, @Nullable RuntimeException cause) {
    IdempotencyKey key = execution.key();
    long pauseMillis = 50;
    boolean recorded;
    while (true) {
      try {
        recorded = store.completeWithoutResult(key, execution.owner(), retention);
        break;
      } catch (RuntimeException e) {
        notify("onStoreError", l -> l.onStoreError(name, key, e));
        long left = execution.leaseEndsNanos() - System.nanoTime();
        if (left <= TimeUnit.MILLISECONDS.toNanos(pauseMillis) || !pause(pauseMillis)) {
          if (cause != null) {
            e.addSuppressed(cause);
          }
          throw new IdempotencyStoreException(
              "the request was executed but the idempotency store failed to record it ("
                  + notKept
                  + "); the key stays in progress until its lease runs out, then a retry executes"
                  + " again: "
                  + e.getMessage(),
              true,
              e);
        }
        pauseMillis = Math.min(pauseMillis * 2, 1000);
      }
    }
    if (!recorded) {
      notify("onStaleCompletion", l -> l.onStaleCompletion(name, key));
      return false;
    }
    log.warn("an idempotent request was executed but its result was not kept: {}", notKept);
    notify("onResultNotKept", l -> l.onResultNotKept(name, key, notKept));
    return true;
  }

  /** Sleeps; false if interrupted (the flag stays set). */
  private static boolean pause(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void release(Execution execution, RuntimeException failure) {
    try {
      store.release(execution.key(), execution.owner());
    } catch (RuntimeException e) {
      // The key stays in progress until its lease runs out; the caller still sees its failure.
      notify("onStoreError", l -> l.onStoreError(name, execution.key(), e));
      failure.addSuppressed(e);
    }
  }

  /**
   * @return the name its listener events carry
   */
  public String name() {
    return name;
  }

  private void notify(String event, Listeners.Call<IdempotencyListener> call) {
    Listeners.notify(listener, event, call);
  }

  private void remember(IdempotencyKey key, Fingerprint fingerprint, byte[] result) {
    if (localCache != null) {
      localCache.put(key, new Stored(fingerprint, result));
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a running request", e);
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /** A completed result kept in this JVM. */
  @SuppressWarnings("ArrayRecordComponent") // never compared: a cache value
  private record Stored(Fingerprint fingerprint, byte[] result) {}

  /**
   * Settings of an {@link Idempotency}.
   *
   * @param <T> the result
   */
  public static final class Builder<T> {
    private final IdempotencyStore store;
    private final ResultSerializer<T> serializer;
    private Duration lease = Duration.ofMinutes(1);
    private Duration retention = Duration.ofHours(24);
    private Duration waitForRunning = Duration.ZERO;
    private int maxResultBytes = 256 * 1024;
    private Predicate<RuntimeException> retryable = failure -> true;
    private @Nullable Function<RuntimeException, T> failureAsResult;
    private String name = Names.DEFAULT;
    private IdempotencyListener listener = IdempotencyListener.NONE;
    private long localCacheSize;
    private Duration localCacheTtl = Duration.ofMinutes(5);
    private Clock clock = Clock.systemUTC();

    private Builder(IdempotencyStore store, ResultSerializer<T> serializer) {
      this.store = Objects.requireNonNull(store, "store");
      this.serializer = Objects.requireNonNull(serializer, "serializer");
    }

    /**
     * @param lease how long an execution may take before another call may take the key over: longer
     *     than the slowest execution (default 1 minute; 10 ms to 1 hour)
     * @return this builder
     */
    public Builder<T> lease(Duration lease) {
      this.lease = Checks.between("lease", lease, Duration.ofMillis(10), Duration.ofHours(1));
      return this;
    }

    /**
     * @param retention how long a record is kept: longer than your clients retry (default 24 hours;
     *     1 second to 30 days)
     * @return this builder
     */
    public Builder<T> retention(Duration retention) {
      this.retention =
          Checks.between("retention", retention, Duration.ofSeconds(1), Duration.ofDays(30));
      return this;
    }

    /**
     * @param wait how long a duplicate waits for a running execution's result before it gets {@link
     *     Outcome.InProgress} (default zero: answer at once; at most 1 minute)
     * @return this builder
     */
    public Builder<T> waitForRunning(Duration wait) {
      this.waitForRunning =
          Checks.between("waitForRunning", wait, Duration.ZERO, Duration.ofMinutes(1));
      return this;
    }

    /**
     * @param maxResultBytes the largest serialized result kept (default 256 KiB; 1 byte to 16 MiB)
     * @return this builder
     */
    public Builder<T> maxResultBytes(int maxResultBytes) {
      this.maxResultBytes = Checks.between("maxResultBytes", maxResultBytes, 1, 16 * 1024 * 1024);
      return this;
    }

    /**
     * Stores failures the classifier calls permanent as results, so duplicates replay them (as
     * Stripe replays a 4xx). Without it, every failure releases the key.
     *
     * @param retryable true for failures that release the key so a retry executes again
     * @param asResult the result to store for the others; the first caller still gets the exception
     * @return this builder
     */
    public Builder<T> storeFailures(
        Predicate<RuntimeException> retryable, Function<RuntimeException, T> asResult) {
      this.retryable = Objects.requireNonNull(retryable, "retryable");
      this.failureAsResult = Objects.requireNonNull(asResult, "asResult");
      return this;
    }

    /**
     * Keeps completed results in this JVM too, so a replay costs no round trip (default off).
     *
     * @param maxEntries at most this many results, 1 to 10 million
     * @param ttl each for this long (capped by the retention)
     * @return this builder
     */
    public Builder<T> localCache(long maxEntries, Duration ttl) {
      this.localCacheSize = Checks.between("maxEntries", maxEntries, 1, 10_000_000);
      this.localCacheTtl = Checks.between("ttl", ttl, Duration.ofMillis(1), Duration.ofDays(30));
      return this;
    }

    /**
     * @param name what this executor's listener events carry, for metrics and logs (default {@code
     *     default}; 1 to 64 characters)
     * @return this builder
     */
    public Builder<T> name(String name) {
      this.name = Names.check(name);
      return this;
    }

    /**
     * @param listener hears executions, replays, conflicts, expired leases and store errors
     * @return this builder
     */
    public Builder<T> listener(IdempotencyListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * @param clock turns the store's lease expiry into a retry-after (default the system clock)
     * @return this builder
     */
    public Builder<T> clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @return the executor
     * @throws IllegalArgumentException if the lease is not shorter than the retention
     */
    public Idempotency<T> build() {
      IdempotencyChecks.durations(lease, retention); // what every store call will check
      return new Idempotency<>(this);
    }
  }
}
