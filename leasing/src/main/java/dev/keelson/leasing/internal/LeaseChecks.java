package dev.keelson.leasing.internal;

import dev.keelson.core.internal.Checks;
import dev.keelson.leasing.LeaseStore;
import dev.keelson.leasing.LeaseStore.Grant;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** The argument checks every lease store and task queue shares, so they refuse the same input. */
public final class LeaseChecks {

  private LeaseChecks() {}

  /**
   * @param resource what to lease
   * @return the resource
   * @throws IllegalArgumentException unless it is 1 to 512 characters, without '{', '}' or an
   *     unpaired surrogate
   */
  public static String resource(@Nullable String resource) {
    return Checks.noHashTag("resource", Checks.text("resource", resource, 512));
  }

  /**
   * @param owner who asks
   * @return the owner
   * @throws IllegalArgumentException unless it is 1 to 128 characters without an unpaired surrogate
   */
  public static String owner(@Nullable String owner) {
    return Checks.text("owner", owner, 128);
  }

  /**
   * @param ttl a time to live
   * @return the ttl
   * @throws IllegalArgumentException unless it is in {@link LeaseStore#SHORTEST_TTL}..{@link
   *     LeaseStore#LONGEST_TTL}
   */
  public static Duration ttl(@Nullable Duration ttl) {
    return Checks.between("ttl", ttl, LeaseStore.SHORTEST_TTL, LeaseStore.LONGEST_TTL);
  }

  /**
   * @param timeout how long a call may take
   * @return the timeout
   * @throws IllegalArgumentException unless it is more than zero and at most a day
   */
  public static Duration timeout(@Nullable Duration timeout) {
    return Checks.between("timeout", timeout, Duration.ofNanos(1), LeaseStore.LONGEST_TTL);
  }

  /**
   * @param grant a grant as a store returned it
   * @return the grant
   * @throws IllegalArgumentException if its resource or owner would not have been accepted
   */
  public static Grant grant(@Nullable Grant grant) {
    Objects.requireNonNull(grant, "grant");
    resource(grant.resource());
    owner(grant.owner());
    return grant;
  }

  /**
   * Checks a claim's arguments the same way for every task queue.
   *
   * @param queue the queue claimed from
   * @param owner the worker that claims
   * @param max the most tasks to claim: 1 to 1000
   * @param claimTime how long the claim holds: 10 ms to a day
   * @throws IllegalArgumentException naming the first argument out of its range
   */
  public static void claim(
      @Nullable String queue, @Nullable String owner, int max, @Nullable Duration claimTime) {
    queue(queue);
    owner(owner);
    Checks.between("max", max, 1, 1000);
    Checks.between("claimTime", claimTime, Duration.ofMillis(10), Duration.ofDays(1));
  }

  /**
   * @param queue a task queue's name
   * @return the queue
   * @throws IllegalArgumentException unless it is 1 to 128 characters, without '{', '}' or an
   *     unpaired surrogate
   */
  public static String queue(@Nullable String queue) {
    return Checks.noHashTag("queue", Checks.text("queue", queue, 128));
  }
}
