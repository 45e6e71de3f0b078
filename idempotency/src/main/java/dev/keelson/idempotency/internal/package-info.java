/** What the idempotency stores share; not a public API, may change. */
@NullMarked
package dev.keelson.idempotency.internal;

import org.jspecify.annotations.NullMarked;
