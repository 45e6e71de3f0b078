package dev.keelson.outbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@link Publisher#eachBlocking}: each batch is sent on a thread of its own, so the relay's
 * deadline bounds it like any other publish. Cancelling the batch's future interrupts the thread,
 * and no later message of the batch is sent.
 */
final class BlockingPublisher implements Publisher {

  private final Function<OutboxMessage, PublishResult> send;

  BlockingPublisher(Function<OutboxMessage, PublishResult> send) {
    this.send = Objects.requireNonNull(send, "send");
  }

  @Override
  public CompletionStage<List<PublishResult>> publish(List<OutboxMessage> batch) {
    CompletableFuture<List<PublishResult>> results = new CompletableFuture<>();
    Thread sender = new Thread(() -> sendEach(batch, results), "keelson-outbox-blocking-publisher");
    sender.setDaemon(true);
    results.whenComplete(
        (done, failure) -> {
          if (results.isCancelled()) {
            sender.interrupt();
          }
        });
    sender.start();
    return results;
  }

  private void sendEach(List<OutboxMessage> batch, CompletableFuture<List<PublishResult>> results) {
    try {
      List<PublishResult> sent = new ArrayList<>(batch.size());
      for (OutboxMessage message : batch) {
        if (results.isDone()) {
          return; // cancelled: the relay has given the batch back
        }
        PublishResult result;
        try {
          result = send.apply(message);
        } catch (RuntimeException e) {
          result = PublishResult.retry(e.toString(), null);
        }
        sent.add(result);
      }
      results.complete(sent);
    } catch (Throwable e) { // the relay records it as a failed publish, to be retried
      results.completeExceptionally(e);
    }
  }
}
