package dev.keelson.idempotency;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.keelson.core.internal.Checks;
import dev.keelson.idempotency.internal.IdempotencyChecks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Records in this JVM's memory (Caffeine), for one instance, tests and demos: every operation is
 * one atomic map update. Records leave memory when their retention ends; the store holds at most
 * {@code maximumEntries}, and a record evicted early for room is forgotten, so a duplicate of it
 * would execute again: size it above the keys your clients send within one retention.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {

  private final Clock clock;
  private final Cache<IdempotencyKey, Entry> records;

  private InMemoryIdempotencyStore(Builder builder) {
    this.clock = builder.clock;
    this.records =
        Caffeine.newBuilder()
            .maximumSize(builder.maximumEntries)
            .expireAfter(new UntilRetentionEnds())
            .build();
  }

  /**
   * A store of at most 100,000 records on the system clock: {@code builder().build()}.
   *
   * @return the store
   */
  public static InMemoryIdempotencyStore withDefaults() {
    return builder().build();
  }

  /**
   * @return a builder of a store of at most 100,000 records on the system clock
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Settings of an {@link InMemoryIdempotencyStore}. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();
    private long maximumEntries = 100_000;

    private Builder() {}

    /**
     * @param clock the store's clock, for leases and retention (default the system clock)
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @param maximumEntries at most this many records (default 100,000; 1 to 100 million)
     * @return this builder
     */
    public Builder maximumEntries(long maximumEntries) {
      Checks.between("maximumEntries", maximumEntries, 1, 100_000_000);
      this.maximumEntries = maximumEntries;
      return this;
    }

    /**
     * @return the store
     */
    public InMemoryIdempotencyStore build() {
      return new InMemoryIdempotencyStore(this);
    }
  }

  /** One record: running, or completed with its result or without one (not kept). */
  private record Entry(
      Fingerprint fingerprint,
      String owner,
      Instant leaseExpiresAt,
      boolean completed,
      byte @Nullable [] result,
      Instant expiresAt) {}

  @Override
  public Begin begin(
      IdempotencyKey key,
      Fingerprint fingerprint,
      String owner,
      Duration lease,
      Duration retention) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(fingerprint, "fingerprint");
    IdempotencyChecks.owner(owner);
    IdempotencyChecks.durations(lease, retention);
    Instant now = clock.instant();
    Begin[] answer = new Begin[1];
    records
        .asMap()
        .compute(
            key,
            (k, entry) -> {
              if (entry == null || !entry.expiresAt().isAfter(now)) {
                answer[0] = new Started(false);
                return running(fingerprint, owner, now, lease, retention);
              }
              if (!entry.fingerprint().equals(fingerprint)) {
                answer[0] = new Mismatch();
                return entry;
              }
              if (entry.completed()) {
                byte[] result = entry.result();
                answer[0] = result == null ? new CompletedWithoutResult() : new Completed(result);
                return entry;
              }
              if (entry.leaseExpiresAt().isAfter(now)) {
                answer[0] = new Running(entry.leaseExpiresAt());
                return entry;
              }
              answer[0] = new Started(true);
              return running(fingerprint, owner, now, lease, retention);
            });
    return answer[0];
  }

  private static Entry running(
      Fingerprint fingerprint, String owner, Instant now, Duration lease, Duration retention) {
    return new Entry(fingerprint, owner, now.plus(lease), false, null, now.plus(retention));
  }

  @Override
  public boolean complete(IdempotencyKey key, String owner, byte[] result, Duration retention) {
    return completed(key, owner, Objects.requireNonNull(result, "result").clone(), retention);
  }

  @Override
  public boolean completeWithoutResult(IdempotencyKey key, String owner, Duration retention) {
    return completed(key, owner, null, retention);
  }

  /** Completes a running record of this owner; true as well if this owner completed it already. */
  private boolean completed(
      IdempotencyKey key, String owner, byte @Nullable [] result, Duration retention) {
    Objects.requireNonNull(key, "key");
    IdempotencyChecks.owner(owner);
    IdempotencyChecks.durations(null, retention);
    Instant now = clock.instant();
    boolean[] done = new boolean[1];
    records
        .asMap()
        .computeIfPresent(
            key,
            (k, entry) -> {
              if (!entry.owner().equals(owner)) {
                return entry;
              }
              done[0] = true;
              if (entry.completed()) {
                return entry; // a retried completion: the first one stands
              }
              return new Entry(
                  entry.fingerprint(),
                  owner,
                  entry.leaseExpiresAt(),
                  true,
                  result,
                  now.plus(retention));
            });
    return done[0];
  }

  @Override
  public boolean release(IdempotencyKey key, String owner) {
    Objects.requireNonNull(key, "key");
    IdempotencyChecks.owner(owner);
    return changeIfOwned(key, owner, entry -> null);
  }

  /** Applies the change (null removes) if the owner still holds the running record. */
  private boolean changeIfOwned(
      IdempotencyKey key, String owner, Function<Entry, @Nullable Entry> change) {
    boolean[] owned = new boolean[1];
    records
        .asMap()
        .computeIfPresent(
            key,
            (k, entry) -> {
              if (!owns(entry, owner)) {
                return entry;
              }
              owned[0] = true;
              return change.apply(entry);
            });
    return owned[0];
  }

  /** The owner still holds a running record: completions by a taken-over owner are refused. */
  private static boolean owns(Entry entry, String owner) {
    return !entry.completed() && entry.owner().equals(owner);
  }

  /** Memory is reclaimed when a record's retention ends; correctness never waits for it. */
  private final class UntilRetentionEnds implements Expiry<IdempotencyKey, Entry> {
    @Override
    public long expireAfterCreate(IdempotencyKey key, Entry entry, long currentTime) {
      return untilExpiry(entry);
    }

    @Override
    public long expireAfterUpdate(
        IdempotencyKey key, Entry entry, long currentTime, long currentDuration) {
      return untilExpiry(entry);
    }

    @Override
    public long expireAfterRead(
        IdempotencyKey key, Entry entry, long currentTime, long currentDuration) {
      return currentDuration;
    }

    private long untilExpiry(Entry entry) {
      return Math.max(0, Duration.between(clock.instant(), entry.expiresAt()).toNanos());
    }
  }
}
