package dev.keelson.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Events carry the policy's name, and {@link RetryListener#of} tells every listener in order. */
class RetryListenerTest extends ManualTime {

  private static final RetryBudget REFUSING =
      new RetryBudget() {
        @Override
        public void onRequest() {}

        @Override
        public boolean tryAcquireRetry() {
          return false;
        }

        @Override
        public void onSuccess(boolean retried) {}

        @Override
        public long retriesAvailable() {
          return 0;
        }
      };

  @Test
  void everyEventCarriesThePolicysName() throws Exception {
    Retry retry = policy().name("payments").maxAttempts(2).build();
    assertThatThrownBy(() -> retry.call(() -> failure()));
    assertThat(retry.call(() -> "ok")).isEqualTo("ok");
    Retry refused = policy().name("payments").budget(REFUSING).build();
    assertThatThrownBy(() -> refused.call(() -> failure()));
    Retry late = policy().name("payments").deadline(Duration.ofMillis(50)).build();
    assertThatThrownBy(() -> late.call(() -> failure()));

    assertThat(listener.events)
        .containsExactly(
            "attempt 1",
            "retry 2",
            "attempt 2",
            "gave up ATTEMPTS_EXHAUSTED after 2",
            "attempt 1",
            "succeeded after 1",
            "attempt 1",
            "budget refused after 1",
            "attempt 1",
            "deadline after 1");
    assertThat(listener.names).hasSameSizeAs(listener.events).containsOnly("payments");
    assertThat(retry.name()).isEqualTo("payments");
  }

  @Test
  void anAsynchronousCallsEventsCarryTheNameToo() {
    Retry retry = policy().name("webhooks").maxAttempts(2).build();
    CompletableFuture<String> result =
        retry.callAsync(() -> CompletableFuture.failedFuture(new IOException("down")), scheduler);
    while (scheduler.runNext()) {
      // each timer starts the next attempt
    }

    assertThat(result).isCompletedExceptionally();
    assertThat(listener.events)
        .containsExactly("attempt 1", "retry 2", "attempt 2", "gave up ATTEMPTS_EXHAUSTED after 2");
    assertThat(listener.names).hasSameSizeAs(listener.events).containsOnly("webhooks");
  }

  @Test
  void theNameIsDefaultUnlessSetAndIsChecked() {
    assertThat(Retry.withDefaults().name()).isEqualTo("default");
    assertThat(Retry.builder().name("payments").build().toString()).contains("name=payments");
    assertThatThrownBy(() -> Retry.builder().name(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("name: must be 1 to 64 characters");
    assertThatThrownBy(() -> Retry.builder().name(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name");
  }

  @Test
  void aCombinedListenerTellsEachInOrder() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    Retry retry =
        policy()
            .maxAttempts(2)
            .listener(RetryListener.of(new Named("a", heard), new Named("b", heard)))
            .build();

    assertThatThrownBy(() -> retry.call(() -> failure()));

    assertThat(heard)
        .containsExactly(
            "a attempt 1",
            "b attempt 1",
            "a retry 2",
            "b retry 2",
            "a attempt 2",
            "b attempt 2",
            "a gave up",
            "b gave up");
  }

  @Test
  void aListenerThatThrowsDoesNotKeepTheNextFromHearing() throws Exception {
    RetryListener throwing =
        new RetryListener() {
          @Override
          public void onAttempt(String retry, int attempt) {
            throw new IllegalStateException("broken listener");
          }

          @Override
          public void onSucceeded(String retry, int attempts) {
            throw new IllegalStateException("broken listener");
          }
        };
    Retry retry = policy().listener(RetryListener.of(throwing, listener)).build();

    assertThat(retry.call(() -> "ok")).isEqualTo("ok");
    assertThat(listener.events).containsExactly("attempt 1", "succeeded after 1");
  }

  @Test
  void oneListenerIsItselfAndNoneIsNone() {
    assertThat(RetryListener.of(listener)).isSameAs(listener);
    assertThat(RetryListener.of(RetryListener.NONE, listener, RetryListener.NONE))
        .isSameAs(listener);
    assertThat(RetryListener.of()).isSameAs(RetryListener.NONE);
    assertThat(RetryListener.of(RetryListener.NONE)).isSameAs(RetryListener.NONE);
  }

  @Test
  void nullListenersAreRejected() {
    assertThatThrownBy(() -> RetryListener.of((RetryListener[]) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("listeners");
    assertThatThrownBy(() -> RetryListener.of(listener, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("listeners[1]");
  }

  private static String failure() throws IOException {
    throw new IOException("down");
  }

  /** Writes down its own name before each event it hears. */
  private static final class Named implements RetryListener {
    private final String name;
    private final List<String> heard;

    Named(String name, List<String> heard) {
      this.name = name;
      this.heard = heard;
    }

    @Override
    public void onAttempt(String retry, int attempt) {
      heard.add(name + " attempt " + attempt);
    }

    @Override
    public void onRetryScheduled(
        String retry, int nextAttempt, long delayNanos, @Nullable Throwable failure) {
      heard.add(name + " retry " + nextAttempt);
    }

    @Override
    public void onGaveUp(
        String retry, StopReason reason, int attempts, @Nullable Throwable failure) {
      heard.add(name + " gave up");
    }
  }

  @Test
  void theCombinedRetryListenerPassesOnEveryEvent() throws Exception {
    for (Method event : RetryListener.class.getDeclaredMethods()) {
      if (event.isDefault()) {
        assertThat(
                CombinedRetryListener.class.getDeclaredMethod(
                    event.getName(), event.getParameterTypes()))
            .as(event.getName())
            .isNotNull();
      }
    }
  }
}
