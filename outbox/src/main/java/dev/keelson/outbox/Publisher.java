package dev.keelson.outbox;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Where a relay sends messages: a broker, a webhook, another service. A batch holds at most one
 * message per key (the relay's ordering guarantee), so the messages of a batch may be sent in
 * parallel.
 *
 * <p>The deadline is fixed when the relay's round starts (when it claims the batch). The relay
 * calls {@link #publish(List, Duration)} with the time left until eight tenths of the claim time,
 * and waits for the results until nine tenths; then it cancels the future it was given ({@code
 * toCompletableFuture().cancel(true)}) and counts a failed attempt for every message of the batch.
 * A publisher that can should answer by its deadline, with the results it has and {@link
 * PublishResult#retry retry} for the messages it could not finish, so that what it delivered in
 * time is recorded (as {@link WebhookPublisher} and {@link #eachBlocking} do); and it should stop
 * what it started when the future is cancelled, as the webhook aborts its requests. {@code publish}
 * itself should return at once, doing its work asynchronously, since its own time is taken from the
 * deadline (wrap blocking calls with {@link #eachBlocking}). What a cancelled publish still
 * delivers is a redelivery, which consumers drop by message id.
 */
@FunctionalInterface
public interface Publisher {

  /**
   * Publishes a batch, with no deadline of its own.
   *
   * @param batch the messages, at most one per key
   * @return one result per message, in the batch's order
   */
  CompletionStage<List<PublishResult>> publish(List<OutboxMessage> batch);

  /**
   * Publishes a batch that should be answered within {@code timeLeft}: the relay calls this one.
   * The default ignores the deadline and calls {@link #publish(List)}; override it to answer in
   * time with the results in hand (retry for the rest).
   *
   * @param batch the messages, at most one per key
   * @param timeLeft until the deadline, zero or more
   * @return one result per message, in the batch's order
   */
  default CompletionStage<List<PublishResult>> publish(
      List<OutboxMessage> batch, Duration timeLeft) {
    return publish(batch);
  }

  /**
   * A publisher from a blocking call per message: an exception means retry. Each batch is sent on a
   * new thread of its own, one message after another. At the deadline it answers with the results
   * it has and {@code retry("not sent before the deadline")} for the others, which it does not
   * send; the send in flight is interrupted.
   *
   * <p>The send needs I/O timeouts of its own (connect and read timeouts of its client, shorter
   * than the claim time): an interrupt does not end a classic socket read. While a send runs on
   * after its deadline, later batches start no send: each waits for it until its own deadline and
   * is then answered retry, so a hung send holds up one thread, not one per round, and its messages
   * end in the dead letters after {@code maxAttempts} if it never returns.
   *
   * @param send sends one message and says what became of it
   * @return the publisher
   */
  static Publisher eachBlocking(Function<OutboxMessage, PublishResult> send) {
    return new BlockingPublisher(send);
  }
}
