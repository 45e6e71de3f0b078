/** How retries are carried out; not a public API, may change. */
@NullMarked
package dev.keelson.retry.internal;

import org.jspecify.annotations.NullMarked;
