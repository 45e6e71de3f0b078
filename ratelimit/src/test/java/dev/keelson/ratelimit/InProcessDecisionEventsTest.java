package dev.keelson.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The in-process limiters tell their listener every decision, as the Redis ones do. */
class InProcessDecisionEventsTest {

  private static final Duration HOUR = Duration.ofHours(1);
  private final ManualClock clock = ManualClock.create();
  private final List<String> heard = new CopyOnWriteArrayList<>();
  private final RateLimitListener recording =
      new RateLimitListener() {
        @Override
        public void onDecision(
            String limiter, String key, Decision decision, DecisionSource source) {
          heard.add(
              limiter
                  + " "
                  + key
                  + " "
                  + (decision.allowed() ? "allowed" : "denied")
                  + " "
                  + source);
        }

        @Override
        public void onBackendAnswered(String limiter, long latencyNanos) {
          heard.add(limiter + " answered"); // no backend: never told
        }
      };
  private final RateLimitListener throwing =
      new RateLimitListener() {
        @Override
        public void onDecision(
            String limiter, String key, Decision decision, DecisionSource source) {
          throw new IllegalStateException("a listener bug");
        }
      };

  @Test
  void aKeyedLimiterReportsEveryDecisionWithItsNameAndTheKey() {
    InProcessRateLimiter limiter =
        InProcessRateLimiter.builder(RateLimit.tokenBucket("tenant", 2, HOUR))
            .name("api")
            .ticker(clock::nanoTime)
            .listener(recording)
            .build();

    assertThat(limiter.tryAcquire("acme", 1)).isTrue();
    assertThat(limiter.decide("acme", 1).allowed()).isTrue();
    assertThat(limiter.decideAsync("acme", 1).toCompletableFuture().join().allowed()).isFalse();
    assertThat(limiter.tryAcquire("globex", 2)).isTrue();

    assertThat(heard)
        .containsExactly(
            "api acme allowed IN_PROCESS",
            "api acme allowed IN_PROCESS",
            "api acme denied IN_PROCESS",
            "api globex allowed IN_PROCESS");
  }

  @Test
  void aSingleLimiterReportsItsRuleAsTheKey() {
    LocalRateLimiter limiter =
        LocalRateLimiter.builder(RateLimit.fixedWindow("db", 1, HOUR))
            .name("pool")
            .ticker(clock::nanoTime)
            .listener(recording)
            .build();

    assertThat(limiter.tryAcquire(1)).isTrue();
    assertThat(limiter.decide(1).allowed()).isFalse();
    assertThatThrownBy(() -> limiter.tryAcquire(2)).hasMessageStartingWith("permits: 2 is not in");
    assertThatThrownBy(() -> limiter.decide(0)).hasMessageStartingWith("permits: 0 is not in");

    assertThat(heard)
        .as("a refused request is no decision")
        .containsExactly("pool db allowed IN_PROCESS", "pool db denied IN_PROCESS");
  }

  @Test
  void aHierarchyReportsOneDecisionWithTheKeyOfTheLevelThatDecided() {
    InProcessRateLimitHierarchy limits =
        InProcessRateLimitHierarchy.builder(
                List.of(
                    RateLimit.tokenBucket("global", 100, HOUR),
                    RateLimit.tokenBucket("tenant", 1, HOUR)))
            .name("layers")
            .ticker(clock::nanoTime)
            .listener(recording)
            .build();

    assertThat(limits.decide(1, "all", "acme").allowed()).isTrue(); // the tenant level is tightest
    assertThat(limits.decide(1, "all", "acme").allowed()).isFalse(); // the tenant level denies

    assertThat(heard)
        .containsExactly("layers acme allowed IN_PROCESS", "layers acme denied IN_PROCESS");
  }

  @Test
  void aListenerThatThrowsChangesNoDecision() {
    RateLimit rule = RateLimit.slidingWindow("tenant", 5, HOUR);
    InProcessRateLimiter heard =
        InProcessRateLimiter.builder(rule).ticker(clock::nanoTime).listener(throwing).build();
    InProcessRateLimiter unheard =
        InProcessRateLimiter.builder(rule).ticker(clock::nanoTime).build();
    LocalRateLimiter local =
        LocalRateLimiter.builder(rule).ticker(clock::nanoTime).listener(throwing).build();
    InProcessRateLimitHierarchy layers =
        InProcessRateLimitHierarchy.builder(List.of(rule))
            .ticker(clock::nanoTime)
            .listener(throwing)
            .build();

    List<String> withListener = new ArrayList<>();
    List<String> without = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      withListener.add(describe(heard.decide("acme", 1)));
      without.add(describe(unheard.decide("acme", 1)));
      assertThat(local.tryAcquire(1)).isEqualTo(i < 5);
      assertThat(layers.decide(1, "acme").allowed()).isEqualTo(i < 5);
      clock.advance(Duration.ofMinutes(1));
    }

    assertThat(withListener).isEqualTo(without);
  }

  @Test
  void namesDefaultToTheRulesAndAreChecked() {
    RateLimit rule = RateLimit.tokenBucket("tenant", 5, HOUR);
    RateLimit outer = RateLimit.tokenBucket("global", 50, HOUR);

    assertThat(InProcessRateLimiter.of(rule).name()).isEqualTo("tenant");
    assertThat(LocalRateLimiter.of(rule).name()).isEqualTo("tenant");
    assertThat(InProcessRateLimitHierarchy.of(List.of(outer, rule)).name()).isEqualTo("tenant");
    assertThatThrownBy(() -> InProcessRateLimiter.builder(rule).name(""))
        .hasMessage("name: must be 1 to 64 characters, not 0");
    assertThatThrownBy(() -> LocalRateLimiter.builder(rule).name("n".repeat(65)))
        .hasMessage("name: must be 1 to 64 characters, not 65");
    assertThatThrownBy(() -> InProcessRateLimitHierarchy.builder(List.of(rule)).name(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("name");
  }

  private static String describe(Decision decision) {
    return decision.allowed() + " " + decision.remaining() + " " + decision.retryAfterNanos();
  }
}
