/**
 * A small payments service that wires every Keelson module the way a production team would, one
 * file per concern, and a scripted run ({@link dev.keelson.examples.PaymentsDemo}) that shows them
 * work.
 */
@NullMarked
package dev.keelson.examples;

import org.jspecify.annotations.NullMarked;
