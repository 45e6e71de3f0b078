package dev.keelson.outbox;

import java.time.Duration;

/**
 * Hears what a relay does, for metrics and logs: publish latency (commit to delivery), attempts,
 * retries, dead letters, errors. Every method has an empty default; implementations must be
 * thread-safe and quick. Payloads may hold personal data: do not log them.
 *
 * <p>The relay tells the listener after the fact (a result is recorded before it is reported), and
 * a listener that throws changes nothing: the exception is logged (at WARN the first time for each
 * listener class and event, then at DEBUG) and the relay goes on as if the call had returned. It
 * still records every result, releases no claim early and leaves none behind, tells the other
 * events of the batch, and its loop keeps running.
 */
public interface OutboxListener {

  /** Hears nothing. */
  OutboxListener NONE = new OutboxListener() {};

  /**
   * @param message the delivered message
   * @param attempts how many claims it took, from 1
   * @param sinceCreated from the message's creation to its delivery
   */
  default void onPublished(OutboxMessage message, int attempts, Duration sinceCreated) {}

  /**
   * @param message the message that failed
   * @param attempts the attempts so far
   * @param error why
   * @param delay when it is due again; later messages of its key wait for it
   */
  default void onRetryScheduled(
      OutboxMessage message, int attempts, String error, Duration delay) {}

  /**
   * @param message the message moved to the dead letters
   * @param attempts the attempts it had
   * @param error its last error
   */
  default void onDead(OutboxMessage message, int attempts, String error) {}

  /**
   * @param size messages in the batch
   * @param took from the claim to the recorded results
   */
  default void onBatch(int size, Duration took) {}

  /**
   * A round of the relay's loop failed: the database is down, or a part of the round (the backoff,
   * say) threw; an {@link Error} comes wrapped in an {@link IllegalStateException}, as its cause.
   * The loop goes on after a pause; an error of the virtual machine ({@link VirtualMachineError},
   * such as {@link OutOfMemoryError}) stops it instead, before this is called: its claims are given
   * back, and {@link OutboxRelay#start()} starts it again.
   *
   * @param error what the round threw
   */
  default void onRelayError(Exception error) {}
}
