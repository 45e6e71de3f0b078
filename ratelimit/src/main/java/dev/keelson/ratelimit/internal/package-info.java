/** The algorithms' arithmetic and the in-process state; not a public API, may change. */
@NullMarked
package dev.keelson.ratelimit.internal;

import org.jspecify.annotations.NullMarked;
