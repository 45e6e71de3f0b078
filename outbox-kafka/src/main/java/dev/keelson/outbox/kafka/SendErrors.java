package dev.keelson.outbox.kafka;

import dev.keelson.outbox.PublishResult;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * What a send's failure means for its message: errors no retry can mend dead-letter it at once,
 * with the broker's (or the client's) message; everything else, timeouts and retriable errors
 * first, is retried after the relay's backoff.
 */
final class SendErrors {

  private SendErrors() {}

  /**
   * @param error what the send failed with
   * @return the message's result
   */
  static PublishResult resultOf(Throwable error) {
    String text = text(error);
    return isPermanent(error) ? PublishResult.reject(text) : PublishResult.retry(text, null);
  }

  /** The record, its topic or the client's rights are wrong: the same send fails again. */
  static boolean isPermanent(Throwable error) {
    return error instanceof RecordTooLargeException
        || error instanceof RecordBatchTooLargeException
        || error instanceof SerializationException
        || error instanceof AuthorizationException
        || error instanceof InvalidTopicException
        || error instanceof UnknownTopicOrPartitionException;
  }

  /**
   * The producer itself is broken and must be replaced (an idempotent producer whose sequence
   * broke, a fenced or unauthenticated one): its later sends would fail too.
   */
  static boolean breaksTheProducer(Throwable error) {
    return error instanceof OutOfOrderSequenceException
        || error instanceof ProducerFencedException
        || error instanceof AuthenticationException
        || error instanceof UnsupportedVersionException;
  }

  static String text(Throwable error) {
    String message = error.getMessage();
    return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
