package dev.keelson.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class RateLimitListenerTest {

  private static final Decision ALLOWED = Decision.allow(4, 5, 0, "tenant");

  /** Writes down each event as "who: event limiter". */
  static final class Recording implements RateLimitListener {
    private final String who;
    private final List<String> log;

    Recording(String who, List<String> log) {
      this.who = who;
      this.log = log;
    }

    @Override
    public void onDecision(String limiter, String key, Decision decision) {
      log.add(who + ": decision " + limiter + " " + key);
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
    public void onDecision(String limiter, String key, Decision decision) {
      recording.onDecision(limiter, key, decision);
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

    both.onDecision("api", "acme", ALLOWED);
    both.onBackendError("api", new IllegalStateException("timeout"));
    both.onFallbackEntered("api", new IllegalStateException("down"));
    both.onFallbackLeft("api");

    assertThat(log)
        .containsExactly(
            "a: decision api acme",
            "b: decision api acme",
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

    assertThat(log).containsExactly("a: decision pool db", "b: decision pool db");
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
