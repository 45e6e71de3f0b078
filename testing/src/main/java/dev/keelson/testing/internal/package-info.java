/**
 * How the extensions provide servers: local server processes, binaries from Maven artifacts,
 * containers and the JVM-wide registry of shared servers. Not a public API; may change.
 */
@NullMarked
package dev.keelson.testing.internal;

import org.jspecify.annotations.NullMarked;
