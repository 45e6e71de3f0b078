package dev.keelson.outbox;

import dev.keelson.core.internal.Listeners;
import java.time.Duration;

/**
 * Hears what an outbox and a relay do, for metrics and logs: appends, publish latency (from the
 * message's creation, just before its append, to its delivery), attempts, retries, dead letters,
 * errors, and the backlog sampled now and then. Every event carries the name of the outbox or relay
 * it comes from ({@link Outbox.Builder#name}, {@link OutboxRelay.Builder#name}, both by default the
 * outbox's table), so one listener can serve many and tag their events by name. Every method has an
 * empty default; implementations must be thread-safe and quick. Payloads may hold personal data: do
 * not log them.
 *
 * <p>The relay tells the listener after the fact (a result is recorded before it is reported, once
 * the relay has given its connection back; a result its claim no longer held, because the claim ran
 * out and another relay took the message over, is left for that relay to report), and a listener
 * that throws changes nothing: the exception is logged (at WARN the first time for each listener
 * class and event, then at DEBUG) and the relay goes on as if the call had returned. It still
 * records every result, releases no claim early and leaves none behind, tells the other events of
 * the batch, and its loop keeps running. An {@link Outbox} tells {@link #onAppended} the same way:
 * a listener that throws does not fail the append.
 */
public interface OutboxListener {

  /** Hears nothing. A relay with this listener builds no events. */
  OutboxListener NONE = new OutboxListener() {};

  /**
   * One listener that tells each of the given ones every event, in order. One that throws is logged
   * and ignored, and the next is still told.
   *
   * @param listeners the listeners, in the order they are told
   * @return {@link #NONE} when none is given (or all are {@code NONE}), the listener itself when
   *     one is, else a listener that tells all
   * @throws NullPointerException if the array or one of its elements is null
   */
  static OutboxListener of(OutboxListener... listeners) {
    return Listeners.combine(listeners, NONE, CombinedOutboxListener::new);
  }

  /**
   * Messages were inserted in the caller's transaction: told by {@link Outbox#append} and {@link
   * Outbox#appendAll} once the {@code INSERT} succeeded (on an auto-commit connection, once it
   * committed), before the caller commits. So it counts appends, including those whose transaction
   * later rolls back; an {@code INSERT} that fails, or an empty list, is not told.
   *
   * @param outbox the name of the outbox ({@link Outbox#name()})
   * @param messages how many rows were inserted, from 1
   */
  default void onAppended(String outbox, int messages) {}

  /**
   * @param relay the name of the relay that delivered it
   * @param message the delivered message
   * @param attempts how many claims it took, from 1
   * @param sinceCreated from the message's creation to its delivery
   */
  default void onPublished(
      String relay, OutboxMessage message, int attempts, Duration sinceCreated) {}

  /**
   * @param relay the name of the relay that tried it
   * @param message the message that failed
   * @param attempts the attempts so far
   * @param error why
   * @param delay when it is due again; later messages of its key wait for it
   */
  default void onRetryScheduled(
      String relay, OutboxMessage message, int attempts, String error, Duration delay) {}

  /**
   * @param relay the name of the relay that gave up on it
   * @param message the message moved to the dead letters
   * @param attempts the attempts it had
   * @param error its last error
   */
  default void onDead(String relay, OutboxMessage message, int attempts, String error) {}

  /**
   * @param relay the name of the relay that handled the batch
   * @param size messages in the batch
   * @param took from the claim to the recorded results
   */
  default void onBatch(String relay, int size, Duration took) {}

  /**
   * A round of the relay's loop failed: the database is down, or a part of the round (the backoff,
   * say) threw; an {@link Error} comes wrapped in an {@link IllegalStateException}, as its cause.
   * The loop goes on after a pause; an error of the virtual machine ({@link VirtualMachineError},
   * such as {@link OutOfMemoryError}) stops it instead, before this is called: its claims are given
   * back, and {@link OutboxRelay#start()} starts it again.
   *
   * @param relay the name of the relay whose round failed
   * @param error what the round threw
   */
  default void onRelayError(String relay, Exception error) {}

  /**
   * The backlog, as {@link OutboxRelay#backlog()} reads it, sampled by a started relay every {@link
   * OutboxRelay.Builder#backlogInterval} (and once right after it starts), so that a gauge needs no
   * query of its own. A sample that cannot be read is logged and skipped.
   *
   * @param relay the name of the relay that read it
   * @param backlog the pending messages, the oldest one's age and the dead letters
   */
  default void onBacklog(String relay, Backlog backlog) {}
}
