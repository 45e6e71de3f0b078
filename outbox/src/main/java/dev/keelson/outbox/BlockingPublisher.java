package dev.keelson.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@link Publisher#eachBlocking}: each batch is sent on a thread of its own, one message after
 * another, so the relay's deadline bounds it like any other publish. At the deadline (or when the
 * relay cancels the batch) the batch is answered with the results in hand and a retry for each
 * message not sent; the thread is interrupted and sends no later message of the batch.
 *
 * <p>A send that ignores interrupts (a socket read without a timeout) outlives its batch. While one
 * does, later batches start no send of their own: each waits for it until its deadline, so a hung
 * send holds up one thread, not one per round.
 */
final class BlockingPublisher implements Publisher {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(BlockingPublisher.class);

  /** The error of a message the deadline left unsent (or whose send had not returned). */
  static final String NOT_SENT = "not sent before the deadline";

  /** The error of a message that waited, until its deadline, for an earlier send to return. */
  static final String BEHIND_A_HUNG_SEND =
      "not sent before the deadline: an earlier send has not returned since its own deadline"
          + " (it ignores interrupts; give the send I/O timeouts of its own)";

  private final Function<OutboxMessage, PublishResult> send;
  private final Object lock = new Object();
  private int hungSends; // guarded by lock: sends still running after their batch was answered

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
    Sender sender = new Sender(List.copyOf(batch), each);
    CompletableFuture<List<PublishResult>> answer =
        BatchAnswer.of(each, timeLeft, sender::whyNotSent);
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

  private void hungSendStarted() {
    synchronized (lock) {
      hungSends++;
    }
  }

  private void hungSendReturned() {
    synchronized (lock) {
      hungSends--;
      lock.notifyAll();
    }
  }

  /** The thread that sends one batch. */
  private final class Sender extends Thread {
    private static final int WAITING = 0; // for a hung send of an earlier batch to return
    private static final int IDLE = 1;
    private static final int SENDING = 2;
    private static final int ANSWERED = 3; // at the deadline or cancelled: too late to send

    private final List<OutboxMessage> batch;
    private final List<CompletableFuture<PublishResult>> each;
    private final AtomicInteger state = new AtomicInteger(WAITING);

    Sender(List<OutboxMessage> batch, List<CompletableFuture<PublishResult>> each) {
      super("keelson-outbox-blocking-publisher");
      setDaemon(true);
      this.batch = batch;
      this.each = each;
    }

    @Override
    public void run() {
      if (!awaitNoHungSend()) {
        return;
      }
      for (int i = 0; i < batch.size(); i++) {
        CompletableFuture<PublishResult> result = each.get(i);
        if (result.isDone() || !state.compareAndSet(IDLE, SENDING)) {
          return; // answered: send nothing more
        }
        PublishResult sent;
        try {
          sent = sendOne(batch.get(i));
        } catch (VirtualMachineError e) {
          leaveSend();
          throw e;
        }
        if (!leaveSend()) {
          return;
        }
        result.complete(sent);
      }
    }

    /** Whether this batch may send: no earlier send is hung, and the batch is not answered. */
    private boolean awaitNoHungSend() {
      synchronized (lock) {
        while (hungSends > 0 && state.get() == WAITING) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return false; // answered
          }
        }
      }
      return state.compareAndSet(WAITING, IDLE);
    }

    /** Ends a send: true if the batch still wants its result, false if it was answered. */
    private boolean leaveSend() {
      if (state.compareAndSet(SENDING, IDLE)) {
        return true;
      }
      hungSendReturned();
      return false;
    }

    /** The batch is answered: a send still in flight is interrupted (it is too late). */
    void answered() {
      int before = state.getAndSet(ANSWERED);
      if (before == SENDING) {
        hungSendStarted();
      } else if (before == WAITING) {
        synchronized (lock) {
          if (hungSends > 0) {
            log.warn(
                "{} messages not sent: an earlier send of Publisher.eachBlocking has not returned"
                    + " since its deadline and ignores interrupts; give the send I/O timeouts",
                batch.size());
          }
          lock.notifyAll(); // let it see it is answered
        }
      }
      if (before != ANSWERED && Thread.currentThread() != this) {
        interrupt();
      }
    }

    /** The error of the messages unsent at the deadline. */
    String whyNotSent() {
      synchronized (lock) {
        return state.get() == WAITING && hungSends > 0 ? BEHIND_A_HUNG_SEND : NOT_SENT;
      }
    }
  }
}
