package dev.keelson.outbox.kafka;

import dev.keelson.outbox.PublishResult;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * What a send's failure means for its message: errors no retry can mend dead-letter it at once,
 * with the broker's (or the client's) message; everything else, timeouts and retriable errors
 * first, is retried after the relay's backoff. An unknown topic is found by asking the brokers (see
 * {@link KafkaPublisher}): a produce answer of {@code UnknownTopicOrPartition} is retriable (a
 * leader moving, metadata not yet there) and is retried.
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
        || error instanceof InvalidRecordException
        || error instanceof InvalidTopicException
        // Not the cluster's: an idempotent producer without its cluster right is broken as a
        // whole (below), and a message is not to blame for it.
        || (error instanceof AuthorizationException
            && !(error instanceof ClusterAuthorizationException));
  }

  /**
   * The producer itself is broken and must be replaced (an idempotent producer whose sequence
   * broke, a fenced or unauthenticated one): its later sends would fail too.
   */
  static boolean breaksTheProducer(Throwable error) {
    return error instanceof OutOfOrderSequenceException
        || error instanceof ProducerFencedException
        || error instanceof AuthenticationException
        || error instanceof ClusterAuthorizationException
        || error instanceof UnsupportedVersionException;
  }

  static String text(Throwable error) {
    String message = error.getMessage();
    return error.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }
}
