/**
 * Retries that cannot start a retry storm: jittered backoff, an overall deadline per call, and a
 * retry budget shared by every call to one dependency. Start at {@link dev.keelson.retry.Retry}.
 */
@NullMarked
package dev.keelson.retry;

import org.jspecify.annotations.NullMarked;
