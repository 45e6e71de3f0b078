package dev.keelson.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.testing.ManualClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** A server's Retry-After replaces the backoff when it fits, and ends the call when not. */
class RetryAfterTest {

  /** An HTTP-like response: a status and, maybe, a Retry-After. */
  record Response(int status, @Nullable Duration retryAfter) {}

  /** A failure that carries the server's hint. */
  static final class ThrottledException extends Exception {
    private static final long serialVersionUID = 1L;
    final Duration retryAfter;

    ThrottledException(Duration retryAfter) {
      super("throttled, retry after " + retryAfter);
      this.retryAfter = retryAfter;
    }
  }

  private final ManualClock clock = ManualClock.create();
  private final RecordingListener listener = new RecordingListener();

  private Retry.Builder policy() {
    return Retry.builder()
        .withoutBudget()
        .ticker(clock::nanoTime)
        .sleeper(nanos -> clock.advance(Duration.ofNanos(nanos)))
        .backoff(Backoff.fixed(Duration.ofMillis(10)))
        .retryIfResult(Response.class, r -> r.status() == 429 || r.status() == 503)
        .retryAfter(Response.class, Response::retryAfter)
        .retryAfter(ThrottledException.class, e -> e.retryAfter)
        .listener(listener);
  }

  @Test
  void aHintReplacesTheBackoff() throws Exception {
    AtomicInteger calls = new AtomicInteger();

    Response response =
        policy()
            .build()
            .call(
                () ->
                    calls.incrementAndGet() == 1
                        ? new Response(429, Duration.ofSeconds(2))
                        : new Response(200, null));

    assertThat(response.status()).isEqualTo(200);
    assertThat(listener.delays).containsExactly(Duration.ofSeconds(2).toNanos());
  }

  @Test
  void aResultWithoutAHintUsesTheBackoff() throws Exception {
    AtomicInteger calls = new AtomicInteger();

    policy()
        .build()
        .call(
            () -> calls.incrementAndGet() == 1 ? new Response(503, null) : new Response(200, null));

    assertThat(listener.delays).containsExactly(Duration.ofMillis(10).toNanos());
  }

  @Test
  void aHintOnAFailureCountsToo() throws Exception {
    AtomicInteger calls = new AtomicInteger();

    String result =
        policy()
            .build()
            .call(
                () -> {
                  if (calls.incrementAndGet() == 1) {
                    throw new ThrottledException(Duration.ofMillis(700));
                  }
                  return "ok";
                });

    assertThat(result).isEqualTo("ok");
    assertThat(listener.delays).containsExactly(Duration.ofMillis(700).toNanos());
  }

  @Test
  void aHintThatDoesNotFitTheDeadlineEndsTheCallAtOnce() throws Exception {
    long start = clock.nanoTime();

    Response response =
        policy()
            .deadline(Duration.ofSeconds(1))
            .build()
            .call(() -> new Response(503, Duration.ofSeconds(5)));

    assertThat(response.status()).isEqualTo(503);
    assertThat(clock.nanoTime()).isEqualTo(start);
    assertThat(listener.events).containsExactly("attempt 1", "deadline after 1");
  }

  @Test
  void aHintLongerThanAllowedEndsTheCall() {
    assertThatThrownBy(
            () ->
                policy()
                    .maxRetryAfter(Duration.ofSeconds(30))
                    .build()
                    .call(
                        () -> {
                          throw new ThrottledException(Duration.ofMinutes(10));
                        }))
        .isInstanceOf(ThrottledException.class)
        .satisfies(
            e ->
                assertThat(RetryStoppedException.in(e).orElseThrow().reason())
                    .isEqualTo(StopReason.RETRY_AFTER_TOO_LONG));
  }
}
