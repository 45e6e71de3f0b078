package dev.keelson.leasing;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Where leases live: in memory, on Redis, in a database. Every operation is atomic in the store and
 * timed by the store's clock. Implementations are thread-safe.
 *
 * <p>The contract, checked for every backend by the same test kit: a resource has at most one
 * unexpired grant; its fencing token is larger than every token the resource was granted before (by
 * anyone); renew and release succeed only for the current owner with the current token, and change
 * nothing otherwise.
 */
public interface LeaseStore {

  /**
   * Grants the resource to an owner if nobody holds it (or the last grant expired).
   *
   * @param resource what to lease
   * @param owner who asks
   * @param ttl how long the grant lasts, from the store's now
   * @return the grant, or empty if someone else holds it
   */
  Optional<Grant> tryAcquire(String resource, String owner, Duration ttl);

  /**
   * Extends an unexpired grant.
   *
   * @param grant the grant as last returned
   * @param ttl the new time to live, from the store's now
   * @return the extended grant, or empty if it expired or moved on (nothing changed)
   */
  Optional<Grant> renew(Grant grant, Duration ttl);

  /**
   * Ends a grant early, so another owner can take the resource at once.
   *
   * @param grant the grant as last returned
   * @return whether it was still the current grant (if not, nothing changed)
   */
  boolean release(Grant grant);

  /**
   * What a store granted.
   *
   * @param resource the resource
   * @param owner its holder
   * @param token the fencing token: larger than any earlier grant's on this resource
   * @param expiresAt when the grant ends, on the store's clock
   */
  record Grant(String resource, String owner, long token, Instant expiresAt) {}
}
