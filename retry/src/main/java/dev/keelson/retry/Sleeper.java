package dev.keelson.retry;

import java.util.concurrent.TimeUnit;

/** How a synchronous call waits between attempts; tests replace it to move a manual clock. */
@FunctionalInterface
public interface Sleeper {

  /** Sleeps on the calling thread. */
  Sleeper THREAD_SLEEP = TimeUnit.NANOSECONDS::sleep;

  /**
   * Waits.
   *
   * @param nanos how long
   * @throws InterruptedException if the thread is interrupted while waiting
   */
  void sleep(long nanos) throws InterruptedException;
}
