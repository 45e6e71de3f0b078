package dev.keelson.outbox;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** What became of one message a {@link Publisher} was given. */
public sealed interface PublishResult {

  /** The message was delivered: it will not be published again (unless a relay crashes). */
  static PublishResult delivered() {
    return Delivered.INSTANCE;
  }

  /**
   * The message could not be delivered now: it is retried after the relay's backoff (or after
   * {@code retryAfter}, when the receiver said so), until the maximum attempts.
   *
   * @param error why
   * @param retryAfter the receiver's wish, or null
   * @return the result
   */
  static PublishResult retry(String error, @Nullable Duration retryAfter) {
    return new Retry(error, retryAfter);
  }

  /**
   * The message can never be delivered (the receiver refused it): it goes to the dead letters.
   *
   * @param error why
   * @return the result
   */
  static PublishResult reject(String error) {
    return new Reject(error);
  }

  /** Delivered. */
  enum Delivered implements PublishResult {
    INSTANCE
  }

  /**
   * Retry later.
   *
   * @param error why it failed
   * @param retryAfter the receiver's wish, or null for the relay's backoff
   */
  record Retry(String error, @Nullable Duration retryAfter) implements PublishResult {
    public Retry {
      Objects.requireNonNull(error, "error");
    }
  }

  /**
   * Never deliverable.
   *
   * @param error why
   */
  record Reject(String error) implements PublishResult {
    public Reject {
      Objects.requireNonNull(error, "error");
    }
  }
}
