package dev.keelson.retry;

/** Work with no result that may throw. */
@FunctionalInterface
public interface CheckedRunnable {

  /**
   * @throws Exception any failure, retried or not as the policy says
   */
  void run() throws Exception;
}
