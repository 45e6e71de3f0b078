package dev.keelson.outbox;

import java.time.Duration;

/**
 * When a chore of the relay's loop (the purge, the backlog sample) is due: once its period has
 * passed since it was last done. Used by the loop's thread only.
 */
final class Chore {

  private final long periodNanos;
  private long doneNanos = System.nanoTime();

  Chore(Duration period) {
    this.periodNanos = period.toNanos();
  }

  /** Makes it due at the next {@link #due()}, as right after the relay starts. */
  void dueNow() {
    doneNanos = System.nanoTime() - periodNanos;
  }

  /** Whether it is due; if it is, it counts as done now. */
  boolean due() {
    long now = System.nanoTime();
    if (now - doneNanos < periodNanos) {
      return false;
    }
    doneNanos = now;
    return true;
  }
}
