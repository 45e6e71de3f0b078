package dev.keelson.leasing;

import dev.keelson.leasing.internal.LeaseChecks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Leases in this JVM, for tests and single-process deployments. Each resource's state is replaced
 * atomically ({@link ConcurrentHashMap#compute}); a resource's last token is kept after release and
 * expiry, so tokens keep increasing. Expiry follows the injected clock. Calls never block, so their
 * timeouts are only checked.
 */
public final class InMemoryLeaseStore implements LeaseStore {

  /** The current or last grant of a resource. */
  private record State(String owner, long token, Instant expiresAt) {}

  private final Clock clock;
  private final ConcurrentHashMap<String, State> states = new ConcurrentHashMap<>();

  private InMemoryLeaseStore(Clock clock) {
    this.clock = clock;
  }

  /**
   * A store on the system clock: {@code builder().build()}.
   *
   * @return the store
   */
  public static InMemoryLeaseStore withDefaults() {
    return builder().build();
  }

  /**
   * @return a builder of a store on the system clock
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Settings of an {@link InMemoryLeaseStore}. */
  public static final class Builder {
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * @param clock the clock leases expire by (default the system clock)
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @return the store
     */
    public InMemoryLeaseStore build() {
      return new InMemoryLeaseStore(clock);
    }
  }

  @Override
  public Optional<Grant> tryAcquire(String resource, String owner, Duration ttl, Duration timeout) {
    LeaseChecks.resource(resource);
    LeaseChecks.owner(owner);
    LeaseChecks.ttl(ttl);
    LeaseChecks.timeout(timeout);
    Instant now = clock.instant();
    State[] granted = {null};
    states.compute(
        resource,
        (key, state) -> {
          if (state != null && state.expiresAt().isAfter(now)) {
            return state;
          }
          granted[0] = new State(owner, state == null ? 1 : state.token() + 1, now.plus(ttl));
          return granted[0];
        });
    return Optional.ofNullable(granted[0]).map(state -> grant(resource, state));
  }

  @Override
  public Optional<Grant> renew(Grant grant, Duration ttl, Duration timeout) {
    LeaseChecks.grant(grant);
    LeaseChecks.ttl(ttl);
    LeaseChecks.timeout(timeout);
    Instant now = clock.instant();
    State[] renewed = {null};
    states.computeIfPresent(
        grant.resource(),
        (key, state) -> {
          if (!isCurrent(state, grant, now)) {
            return state;
          }
          renewed[0] = new State(state.owner(), state.token(), now.plus(ttl));
          return renewed[0];
        });
    return Optional.ofNullable(renewed[0]).map(state -> grant(grant.resource(), state));
  }

  @Override
  public boolean release(Grant grant, Duration timeout) {
    LeaseChecks.grant(grant);
    LeaseChecks.timeout(timeout);
    Instant now = clock.instant();
    boolean[] released = {false};
    states.computeIfPresent(
        grant.resource(),
        (key, state) -> {
          if (!isCurrent(state, grant, now)) {
            return state;
          }
          released[0] = true;
          // Keep the token, so the next grant's is larger.
          return new State(state.owner(), state.token(), now);
        });
    return released[0];
  }

  private static boolean isCurrent(State state, Grant grant, Instant now) {
    return state.token() == grant.token()
        && state.owner().equals(grant.owner())
        && state.expiresAt().isAfter(now);
  }

  private static Grant grant(String resource, State state) {
    return new Grant(resource, state.owner(), state.token(), state.expiresAt());
  }
}
