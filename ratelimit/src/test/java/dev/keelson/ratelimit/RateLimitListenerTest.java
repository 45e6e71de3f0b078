package dev.keelson.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RateLimitListenerTest {

  private static final Decision DENIED = Decision.deny(0, 5, 1_000, 1_000, "tenant");

  /** Writes down each event as "who: event limiter". */
  static final class Recording implements RateLimitListener {
    private final String who;
    private final List<String> log;

    Recording(String who, List<String> log) {
      this.who = who;
      this.log = log;
    }

    @Override
    public void onDecision(String limiter, String key, Decision decision, DecisionSource source) {
      log.add(who + ": decision " + limiter + " " + key + " " + source);
    }

    @Override
    public void onShadowAllowed(String limiter, String key, Decision denial) {
      log.add(who + ": shadow-allowed " + limiter + " " + key + " " + denial.allowed());
    }

    @Override
    public void onBackendAnswered(String limiter, long latencyNanos) {
      log.add(who + ": answered " + limiter + " " + latencyNanos);
    }

    @Override
    public void onBackendError(String limiter, Throwable error) {
      log.add(who + ": error " + limiter + " " + error.getMessage());
    }

    @Override
    public void onFallbackEntered(String limiter, Throwable cause) {
      log.add(who + ": entered " + limiter + " " + cause.getMessage());
    }

    @Override
    public void onFallbackLeft(String limiter) {
      log.add(who + ": left " + limiter);
    }
  }

  /** Throws from every event, after writing it down. */
  static final class Throwing implements RateLimitListener {
    private final Recording recording;

    Throwing(String who, List<String> log) {
      this.recording = new Recording(who, log);
    }

    @Override
    public void onDecision(String limiter, String key, Decision decision, DecisionSource source) {
      recording.onDecision(limiter, key, decision, source);
      throw new IllegalStateException("a listener bug");
    }

    @Override
    public void onShadowAllowed(String limiter, String key, Decision denial) {
      recording.onShadowAllowed(limiter, key, denial);
      throw new IllegalStateException("a listener bug");
    }

    @Override
    public void onBackendAnswered(String limiter, long latencyNanos) {
      recording.onBackendAnswered(limiter, latencyNanos);
      throw new IllegalStateException("a listener bug");
    }

    @Override
    public void onBackendError(String limiter, Throwable error) {
      recording.onBackendError(limiter, error);
      throw new IllegalStateException("a listener bug");
    }

    @Override
    public void onFallbackEntered(String limiter, Throwable cause) {
      recording.onFallbackEntered(limiter, cause);
      throw new IllegalStateException("a listener bug");
    }

    @Override
    public void onFallbackLeft(String limiter) {
      recording.onFallbackLeft(limiter);
      throw new IllegalStateException("a listener bug");
    }
  }

  @Test
  void everyEventReachesEveryListenerInOrderEvenAfterOneThrows() {
    List<String> log = new CopyOnWriteArrayList<>();
    RateLimitListener both = RateLimitListener.of(new Throwing("a", log), new Recording("b", log));

    both.onBackendAnswered("api", 1234);
    both.onDecision("api", "acme", DENIED, DecisionSource.BACKEND);
    both.onShadowAllowed("api", "acme", DENIED);
    both.onBackendError("api", new IllegalStateException("timeout"));
    both.onFallbackEntered("api", new IllegalStateException("down"));
    both.onFallbackLeft("api");

    assertThat(log)
        .containsExactly(
            "a: answered api 1234",
            "b: answered api 1234",
            "a: decision api acme BACKEND",
            "b: decision api acme BACKEND",
            "a: shadow-allowed api acme false",
            "b: shadow-allowed api acme false",
            "a: error api timeout",
            "b: error api timeout",
            "a: entered api down",
            "b: entered api down",
            "a: left api",
            "b: left api");
  }

  @Test
  void noneOrOneListenerNeedsNoComposite() {
    RateLimitListener one = new Recording("one", new CopyOnWriteArrayList<>());

    assertThat(RateLimitListener.of()).isSameAs(RateLimitListener.NONE);
    assertThat(RateLimitListener.of(one)).isSameAs(one);
    // NONE hears nothing, so it is left out: a limiter given only NONE stays on its no-op path.
    assertThat(RateLimitListener.of(RateLimitListener.NONE, RateLimitListener.NONE))
        .isSameAs(RateLimitListener.NONE);
    assertThat(RateLimitListener.of(RateLimitListener.NONE, one)).isSameAs(one);
  }

  @Test
  void aNullListenerIsRejectedByItsIndex() {
    RateLimitListener one = new Recording("one", new CopyOnWriteArrayList<>());

    assertThatThrownBy(() -> RateLimitListener.of(one, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("listeners[1]");
    assertThatThrownBy(() -> RateLimitListener.of((RateLimitListener[]) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("listeners");
  }

  @Test
  void aCompositeServesALimiterLikeAnyListener() {
    List<String> log = new CopyOnWriteArrayList<>();
    LocalRateLimiter limiter =
        LocalRateLimiter.builder(RateLimit.fixedWindow("db", 1, Duration.ofHours(1)))
            .name("pool")
            .listener(RateLimitListener.of(new Recording("a", log), new Recording("b", log)))
            .build();

    assertThat(limiter.tryAcquire(1)).isTrue();

    assertThat(log)
        .containsExactly("a: decision pool db IN_PROCESS", "b: decision pool db IN_PROCESS");
  }

  @Test
  void theCombinedRateLimitListenerPassesOnEveryEvent() throws Exception {
    for (Method event : RateLimitListener.class.getDeclaredMethods()) {
      if (event.isDefault()) {
        assertThat(
                CombinedRateLimitListener.class.getDeclaredMethod(
                    event.getName(), event.getParameterTypes()))
            .as(event.getName())
            .isNotNull();
      }
    }
  }
}
