/**
 * Idempotency keys: {@link dev.keelson.idempotency.Idempotency} executes a request once per key,
 * replays its stored result to duplicates, and rejects the key's reuse with another request. Stores
 * behind the {@link dev.keelson.idempotency.IdempotencyStore} SPI: in memory here, Redis in {@code
 * .redis}, PostgreSQL and H2 in {@code .jdbc}.
 */
@NullMarked
package dev.keelson.idempotency;

import org.jspecify.annotations.NullMarked;
