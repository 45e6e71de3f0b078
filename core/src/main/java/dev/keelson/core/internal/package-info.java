/**
 * Helpers the Keelson modules share and users do not call: argument checks, listener calls, future
 * timeouts. Exported only to the sibling modules; they may change in any release.
 */
@NullMarked
package dev.keelson.core.internal;

import org.jspecify.annotations.NullMarked;
