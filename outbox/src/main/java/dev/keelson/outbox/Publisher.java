package dev.keelson.outbox;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Where a relay sends messages: a broker, a webhook, another service. A batch holds at most one
 * message per key (the relay's ordering guarantee), so the messages of a batch may be sent in
 * parallel.
 *
 * <p>The relay waits for the results until its claim's deadline (nine tenths of the claim time);
 * then it cancels the future it was given ({@code toCompletableFuture().cancel(true)}) and gives
 * the batch back, to be published again. A publisher should stop what it started when that future
 * is cancelled, as {@link WebhookPublisher} aborts its requests; {@code publish} itself should
 * return at once, doing its work asynchronously, since the deadline starts when it returns (wrap
 * blocking calls with {@link #eachBlocking}). What a cancelled publish still delivers is a
 * redelivery, which consumers drop by message id.
 */
@FunctionalInterface
public interface Publisher {

  /**
   * Publishes a batch.
   *
   * @param batch the messages, at most one per key
   * @return one result per message, in the batch's order
   */
  CompletionStage<List<PublishResult>> publish(List<OutboxMessage> batch);

  /**
   * A publisher from a blocking call per message: an exception means retry. Each batch is sent on a
   * new thread of its own, one message after another, so the relay's deadline bounds it: when the
   * deadline passes, the thread is interrupted (the call should give up on interrupt) and the
   * batch's later messages are not sent.
   *
   * @param send sends one message and says what became of it
   * @return the publisher
   */
  static Publisher eachBlocking(Function<OutboxMessage, PublishResult> send) {
    return new BlockingPublisher(send);
  }
}
