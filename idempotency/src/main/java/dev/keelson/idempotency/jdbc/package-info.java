/** Idempotency records in PostgreSQL or H2: {@link JdbcIdempotencyStore}. */
@NullMarked
package dev.keelson.idempotency.jdbc;

import org.jspecify.annotations.NullMarked;
