/** What the leasing backends share; not a public API, may change. */
@NullMarked
package dev.keelson.leasing.internal;

import org.jspecify.annotations.NullMarked;
