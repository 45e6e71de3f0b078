package dev.keelson.retry;

/**
 * Work that wants to know which attempt it is and how much time is left.
 *
 * @param <T> its result
 */
@FunctionalInterface
public interface RetryableCall<T> {

  /**
   * @param attempt the attempt in progress
   * @return the result
   * @throws Exception any failure, retried or not as the policy says
   */
  T call(Attempt attempt) throws Exception;
}
