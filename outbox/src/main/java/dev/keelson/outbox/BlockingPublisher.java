package dev.keelson.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@link Publisher#eachBlocking}: each batch is sent on a thread of its own, one message after
 * another, so the relay's deadline bounds it like any other publish. At the deadline (or when the
 * relay cancels the batch) the batch is answered with the results in hand and a retry for each
 * message not sent; the thread is interrupted and sends no later message of the batch.
 */
final class BlockingPublisher implements Publisher {

  /** The error of a message the deadline left unsent (or whose send had not returned). */
  static final String NOT_SENT = "not sent before the deadline";

  private final Function<OutboxMessage, PublishResult> send;

  BlockingPublisher(Function<OutboxMessage, PublishResult> send) {
    this.send = Objects.requireNonNull(send, "send");
  }

  @Override
  public CompletionStage<List<PublishResult>> publish(List<OutboxMessage> batch) {
    return sendOnAThread(batch, null);
  }

  @Override
  public CompletionStage<List<PublishResult>> publish(
      List<OutboxMessage> batch, Duration timeLeft) {
    return sendOnAThread(batch, Objects.requireNonNull(timeLeft, "timeLeft"));
  }

  private CompletableFuture<List<PublishResult>> sendOnAThread(
      List<OutboxMessage> batch, @Nullable Duration timeLeft) {
    List<CompletableFuture<PublishResult>> each = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      each.add(new CompletableFuture<>());
    }
    CompletableFuture<List<PublishResult>> answer = BatchAnswer.of(each, timeLeft, NOT_SENT);
    Sender sender = new Sender(List.copyOf(batch), each);
    answer.whenComplete((done, failure) -> sender.answered());
    sender.start();
    return answer;
  }

  /** What one send became; anything it throws means retry. */
  private PublishResult sendOne(OutboxMessage message) {
    try {
      PublishResult result = send.apply(message);
      return result != null ? result : PublishResult.retry("the send returned no result", null);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) { // a NoClassDefFoundError of the broker's client too: retried
      return PublishResult.retry(e.toString(), null);
    }
  }

  /** The thread that sends one batch. */
  private final class Sender extends Thread {
    private final List<OutboxMessage> batch;
    private final List<CompletableFuture<PublishResult>> each;

    Sender(List<OutboxMessage> batch, List<CompletableFuture<PublishResult>> each) {
      super("keelson-outbox-blocking-publisher");
      setDaemon(true);
      this.batch = batch;
      this.each = each;
    }

    @Override
    public void run() {
      for (int i = 0; i < batch.size(); i++) {
        CompletableFuture<PublishResult> result = each.get(i);
        if (result.isDone()) {
          return; // answered at the deadline, or cancelled: send nothing more
        }
        result.complete(sendOne(batch.get(i)));
      }
    }

    /** The batch is answered: a send still in flight is interrupted (it is too late). */
    void answered() {
      if (Thread.currentThread() != this) {
        interrupt();
      }
    }
  }
}
