package dev.keelson.outbox;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A batch's answer made of one future per message, for publishers that answer by a deadline: it
 * completes when every message's future has, and at the deadline at the latest, when each message
 * still without a result is answered {@link PublishResult#retry retry}. So the relay records what
 * was delivered in time, and only the rest is published again. Cancelling the answer cancels every
 * message's future still pending.
 */
final class BatchAnswer {

  private BatchAnswer() {}

  /**
   * @param each one future per message, in the batch's order, completed by the publisher
   * @param timeLeft until the deadline, or null for none
   * @param late the error of a message without a result at the deadline, told then
   * @return the batch's answer
   */
  static CompletableFuture<List<PublishResult>> of(
      List<CompletableFuture<PublishResult>> each,
      @Nullable Duration timeLeft,
      Supplier<String> late) {
    CompletableFuture<List<PublishResult>> answer =
        CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
            .thenApply(done -> each.stream().map(CompletableFuture::join).toList());
    if (timeLeft != null) {
      // One timer for the batch, removed from the timer queue once the answer is complete.
      CompletableFuture<@Nullable Void> deadline =
          new CompletableFuture<@Nullable Void>()
              .completeOnTimeout(null, Math.max(0, timeLeft.toNanos()), TimeUnit.NANOSECONDS);
      deadline.thenRun(
          () -> {
            PublishResult notInTime = PublishResult.retry(late.get(), null);
            each.forEach(result -> result.complete(notInTime));
          });
      answer.whenComplete((done, failure) -> deadline.cancel(false));
    }
    answer.whenComplete(
        (done, failure) -> {
          if (answer.isCancelled()) {
            each.forEach(result -> result.cancel(true));
          }
        });
    return answer;
  }
}
