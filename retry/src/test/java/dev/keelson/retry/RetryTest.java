package dev.keelson.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryTest {

  private final RecordingListener listener = new RecordingListener();
  private final List<Long> slept = new ArrayList<>();

  private Retry.Builder policy() {
    return Retry.builder()
        .withoutBudget()
        .backoff(Backoff.fixed(Duration.ofMillis(10)))
        .sleeper(slept::add)
        .listener(listener);
  }

  /** Fails {@code failures} times with the given exceptions, then returns "ok". */
  private static Callable failing(int failures) {
    return new Callable(failures);
  }

  static final class Callable implements java.util.concurrent.Callable<String> {
    final AtomicInteger calls = new AtomicInteger();
    private final int failures;

    Callable(int failures) {
      this.failures = failures;
    }

    @Override
    public String call() throws IOException {
      int call = calls.incrementAndGet();
      if (call <= failures) {
        throw new IOException("failure " + call);
      }
      return "ok";
    }
  }

  @Test
  void aSuccessIsOneAttempt() throws Exception {
    assertThat(policy().build().call(() -> "ok")).isEqualTo("ok");

    assertThat(listener.events).containsExactly("attempt 1", "succeeded after 1");
    assertThat(slept).isEmpty();
  }

  @Test
  void failuresAreRetriedAfterTheBackoff() throws Exception {
    Callable task = failing(2);

    assertThat(policy().build().call(task)).isEqualTo("ok");

    assertThat(task.calls).hasValue(3);
    assertThat(slept).containsExactly(10_000_000L, 10_000_000L);
    assertThat(listener.events)
        .containsExactly(
            "attempt 1", "retry 2", "attempt 2", "retry 3", "attempt 3", "succeeded after 3");
  }

  @Test
  void exhaustedAttemptsThrowTheLastFailureItselfWithTheEarlierOnesSuppressed() {
    Callable task = failing(10);

    assertThatThrownBy(() -> policy().maxAttempts(3).build().call(task))
        .isExactlyInstanceOf(IOException.class)
        .hasMessage("failure 3")
        .satisfies(
            e -> {
              assertThat(e.getSuppressed())
                  .extracting(Throwable::getMessage)
                  .startsWith("failure 1", "failure 2");
              assertThat(RetryStoppedException.in(e))
                  .map(RetryStoppedException::reason)
                  .hasValue(StopReason.ATTEMPTS_EXHAUSTED);
              assertThat(RetryStoppedException.in(e).orElseThrow().attempts()).isEqualTo(3);
            });
    assertThat(task.calls).hasValue(3);
    assertThat(listener.events).endsWith("gave up ATTEMPTS_EXHAUSTED after 3");
  }

  @Test
  void onlyTheConfiguredFailuresRetryAndAbortRulesWin() {
    Retry retryIo =
        policy().retryOn(IOException.class).abortOn(java.io.FileNotFoundException.class).build();
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(
            () ->
                retryIo.call(
                    () -> {
                      calls.incrementAndGet();
                      throw new IllegalStateException("not an I/O problem");
                    }))
        .isExactlyInstanceOf(IllegalStateException.class)
        .satisfies(e -> assertThat(RetryStoppedException.in(e)).isEmpty());
    assertThat(calls).hasValue(1);

    calls.set(0);
    assertThatThrownBy(
            () ->
                retryIo.call(
                    () -> {
                      calls.incrementAndGet();
                      throw new java.io.FileNotFoundException("gone for good");
                    }))
        .isExactlyInstanceOf(java.io.FileNotFoundException.class);
    assertThat(calls).hasValue(1);
    assertThat(listener.events).contains("gave up NOT_RETRYABLE after 1");
  }

  @Test
  void predicatesChooseFailuresToo() throws Exception {
    Retry retry =
        policy()
            .retryIf(e -> e.getMessage() != null && e.getMessage().startsWith("failure"))
            .abortIf(e -> e.getMessage() != null && e.getMessage().equals("failure 2"))
            .build();
    Callable task = failing(5);

    assertThatThrownBy(() -> retry.call(task)).hasMessage("failure 2");
    assertThat(task.calls).hasValue(2);
  }

  @Test
  void errorsAreNeverRetried() {
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(
            () ->
                policy()
                    .build()
                    .call(
                        () -> {
                          calls.incrementAndGet();
                          throw new OutOfMemoryError("simulated");
                        }))
        .isInstanceOf(OutOfMemoryError.class);
    assertThat(calls).hasValue(1);
  }

  @Test
  void retryableResultsAreRetriedAndTheLastOneIsReturned() throws Exception {
    Retry retry = policy().retryIfResult(Integer.class, status -> status == 503).build();
    AtomicInteger calls = new AtomicInteger();

    Integer status = retry.call(() -> calls.incrementAndGet() < 3 ? 503 : 200);
    assertThat(status).isEqualTo(200);

    calls.set(0);
    assertThat(retry.call(() -> 503 + 0 * calls.incrementAndGet())).isEqualTo(503);
    assertThat(calls).hasValue(3);
  }

  @Test
  void runRetriesWorkWithoutAResult() throws Exception {
    AtomicInteger calls = new AtomicInteger();

    policy()
        .build()
        .run(
            () -> {
              if (calls.incrementAndGet() < 2) {
                throw new UncheckedIOException(new IOException("flaky"));
              }
            });

    assertThat(calls).hasValue(2);
  }

  @Test
  void theAttemptKnowsItsNumber() throws Exception {
    List<Integer> numbers = new ArrayList<>();

    policy()
        .build()
        .call(
            attempt -> {
              numbers.add(attempt.number());
              assertThat(attempt.remaining()).isEmpty();
              if (attempt.number() < 3) {
                throw new IOException("again");
              }
              return "done";
            });

    assertThat(numbers).containsExactly(1, 2, 3);
  }

  @Test
  void badConfigurationIsRejectedByFieldName() {
    assertThatThrownBy(() -> Retry.builder().maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts: 0 is not in 1..100");
    assertThatThrownBy(() -> Retry.builder().deadline(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("deadline: PT0S");
    assertThatThrownBy(() -> Retry.builder().minimumAttemptTime(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("minimumAttemptTime: ");
    assertThatThrownBy(() -> Retry.builder().maxRetryAfter(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("maxRetryAfter: ");
    assertThatThrownBy(() -> RatioRetryBudget.builder().ratio(-0.1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ratio: -0.1 is not in 0.0..10.0");
    assertThatThrownBy(() -> RatioRetryBudget.builder().window(Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("window: ");
    assertThatThrownBy(() -> RatioRetryBudget.builder().clockSampling(3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("clockSampling: 3 is not a power of two in 1..1024");
    assertThatThrownBy(() -> TokenBucketRetryBudget.builder().capacity(3).retryCost(5).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("retryCost: 5");
    assertThatThrownBy(() -> Retry.builder().backoff(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("backoff");
  }

  @Test
  void theDefaultPolicyHasABudgetOfItsOwn() {
    Retry retry = Retry.withDefaults();

    assertThat(retry.budget()).containsInstanceOf(RatioRetryBudget.class);
    assertThat(retry.toString())
        .contains("maxAttempts=3")
        .contains("fullJitter(PT0.1S, cap PT20S)");
  }
}
