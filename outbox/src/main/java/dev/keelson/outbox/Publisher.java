package dev.keelson.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Where a relay sends messages: a broker, a webhook, another service. A batch holds at most one
 * message per key (the relay's ordering guarantee), so the messages of a batch may be sent in
 * parallel. The relay waits for the results until its claim runs out; a message without a result by
 * then is published again later.
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
   * A publisher from a blocking call per message: an exception means retry.
   *
   * @param send sends one message and says what became of it
   * @return the publisher, sending one message after another on the relay's thread
   */
  static Publisher eachBlocking(Function<OutboxMessage, PublishResult> send) {
    return batch -> {
      List<PublishResult> results = new ArrayList<>(batch.size());
      for (OutboxMessage message : batch) {
        PublishResult result;
        try {
          result = send.apply(message);
        } catch (RuntimeException e) {
          result = PublishResult.retry(e.toString(), null);
        }
        results.add(result);
      }
      return CompletableFuture.completedFuture(results);
    };
  }
}
