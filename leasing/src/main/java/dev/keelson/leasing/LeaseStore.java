package dev.keelson.leasing;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where leases live: in memory, on Redis, in a database. Every operation is atomic in the store and
 * timed by the store's clock. Implementations are thread-safe.
 *
 * <p>The contract, checked for every backend by the same test kit: a resource has at most one
 * unexpired grant; its fencing token is larger than every token the resource was granted before (by
 * anyone); renew and release succeed only for the current owner with the current token, and change
 * nothing otherwise.
 *
 * <p>Every operation returns or fails within its {@code timeout}: a caller that must know by a
 * deadline (a {@link KeepAlive} renewing before its local deadline) passes the time it has left,
 * and a store whose server hangs (a partition) throws instead of blocking past it. Keelson's stores
 * check their arguments the same way, also when called directly: a resource is 1 to 512 characters
 * without '{', '}' or an unpaired surrogate, an owner 1 to 128 characters without one, a ttl {@link
 * #SHORTEST_TTL} to {@link #LONGEST_TTL}, a timeout more than zero and at most a day.
 */
public interface LeaseStore {

  /** The shortest time to live: a grant must outlast the round trip that brings it. */
  Duration SHORTEST_TTL = Duration.ofMillis(10);

  /** The longest time to live. */
  Duration LONGEST_TTL = Duration.ofDays(1);

  /**
   * Grants the resource to an owner if nobody holds it (or the last grant expired).
   *
   * @param resource what to lease
   * @param owner who asks
   * @param ttl how long the grant lasts, from the store's now
   * @param timeout how long the call may take before it fails
   * @return the grant, or empty if someone else holds it
   * @throws IllegalArgumentException if an argument is outside its range
   * @throws RuntimeException if the store fails or does not answer within the timeout (the grant
   *     may or may not have been made; it runs out by itself)
   */
  Optional<Grant> tryAcquire(String resource, String owner, Duration ttl, Duration timeout);

  /**
   * Extends an unexpired grant.
   *
   * @param grant the grant as last returned
   * @param ttl the new time to live, from the store's now
   * @param timeout how long the call may take before it fails: the time the caller has left
   * @return the extended grant, or empty if it expired or moved on (nothing changed)
   * @throws RuntimeException if the store fails or does not answer within the timeout
   */
  Optional<Grant> renew(Grant grant, Duration ttl, Duration timeout);

  /**
   * Ends a grant early, so another owner can take the resource at once.
   *
   * @param grant the grant as last returned
   * @param timeout how long the call may take before it fails
   * @return whether it was still the current grant (if not, nothing changed)
   * @throws RuntimeException if the store fails or does not answer within the timeout (the grant
   *     then runs out by itself)
   */
  boolean release(Grant grant, Duration timeout);

  /**
   * What a store granted.
   *
   * @param resource the resource
   * @param owner its holder
   * @param token the fencing token: larger than any earlier grant's on this resource
   * @param expiresAt when the grant ends, on the store's clock
   */
  record Grant(String resource, String owner, long token, Instant expiresAt) {
    public Grant {
      Objects.requireNonNull(resource, "resource");
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }
  }
}
