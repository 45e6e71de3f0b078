package dev.keelson.core;

/**
 * What a Redis-backed component does when it is built on a Redis that may evict its keys. Every key
 * Keelson writes has a TTL, so under any {@code maxmemory-policy} other than {@code noeviction}
 * ({@code volatile-*} evicts keys with a TTL, {@code allkeys-*} any key) Redis may drop a lease, an
 * idempotency record, a fence or a queue's tasks when memory runs short, and the promise built on
 * it breaks silently. The check reads {@code INFO memory} of the server, or of every master of a
 * Cluster, once, when the component is built; it does not see a setting changed later. A node with
 * no memory limit ({@code maxmemory 0}) never evicts, so it passes whatever its policy.
 *
 * <ul>
 *   <li>{@link #REFUSE} (the default of the components whose promise breaks): building fails with
 *       an {@link IllegalStateException} that names the node and its policy;
 *   <li>{@link #WARN}: the component is built and a warning logged;
 *   <li>{@link #SKIP}: no check, for servers that do not allow {@code INFO}.
 * </ul>
 *
 * A policy that cannot be read (the server refuses {@code INFO}, or does not answer within 5 s) is
 * logged as a warning and the component is built.
 */
public enum EvictionCheck {
  REFUSE,
  WARN,
  SKIP
}
