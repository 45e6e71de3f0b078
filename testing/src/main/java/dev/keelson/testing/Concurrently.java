package dev.keelson.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Runs the same work on many threads released at the same instant, for concurrency tests: the
 * threads start together (so they really race), the call returns when all have finished, and the
 * first failure of any thread fails the call.
 */
public final class Concurrently {

  private Concurrently() {}

  /**
   * @param threads how many threads
   * @param work what each thread does, given its index from 0
   * @throws AssertionError if a thread failed or all did not finish within 2 minutes
   */
  public static void run(int threads, IntConsumer work) {
    CountDownLatch start = new CountDownLatch(1);
    AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    List<Thread> started = new ArrayList<>(threads);
    for (int t = 0; t < threads; t++) {
      int index = t;
      Thread thread =
          new Thread(
              () -> {
                try {
                  start.await();
                  work.accept(index);
                } catch (Throwable e) {
                  failure.compareAndSet(null, e);
                }
              },
              "concurrently-" + t);
      started.add(thread);
      thread.start();
    }
    start.countDown();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    for (Thread thread : started) {
      try {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + thread.getName(), e);
      }
      if (thread.isAlive()) {
        throw new AssertionError(thread.getName() + " did not finish within 2 minutes");
      }
    }
    Throwable failed = failure.get();
    if (failed != null) {
      throw new AssertionError("a thread failed", failed);
    }
  }
}
