package dev.keelson.ratelimit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keelson.ratelimit.internal.Breaker.State;
import dev.keelson.ratelimit.internal.Breaker.Transition;
import org.junit.jupiter.api.Test;

class BreakerTest {

  private static final long PROBE = 1_000;
  private static final long STABLE = 10_000;

  private final Breaker breaker = new Breaker(3, PROBE, STABLE);

  @Test
  void opensOnlyAfterFailuresInARow() {
    breaker.onFailure(0);
    breaker.onFailure(1);
    assertThat(breaker.onSuccess(2)).isEqualTo(Transition.NONE);
    // The success forgot the two failures: two more do not open it, a third does.
    assertThat(breaker.onFailure(3)).isEqualTo(Transition.NONE);
    assertThat(breaker.onFailure(4)).isEqualTo(Transition.NONE);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.onFailure(5)).isEqualTo(Transition.OPENED);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void anOpenBreakerLetsOneProbeThroughPerInterval() {
    open(0);
    assertThat(breaker.allowsCall(PROBE - 1)).isFalse();
    assertThat(breaker.allowsCall(PROBE)).isTrue();
    assertThat(breaker.allowsCall(PROBE)).isFalse();
    assertThat(breaker.allowsCall(2 * PROBE - 1)).isFalse();
    assertThat(breaker.allowsCall(2 * PROBE)).isTrue();
  }

  @Test
  void closesOnlyAfterProbesSucceedForTheStablePeriod() {
    open(0);
    assertThat(breaker.allowsCall(PROBE)).isTrue();
    assertThat(breaker.onSuccess(PROBE)).isEqualTo(Transition.NONE);
    assertThat(breaker.state()).isEqualTo(State.RECOVERING);
    assertThat(breaker.allowsCall(PROBE + 1)).isFalse();
    assertThat(breaker.onSuccess(PROBE + STABLE - 1)).isEqualTo(Transition.NONE);
    assertThat(breaker.state()).isEqualTo(State.RECOVERING);
    assertThat(breaker.onSuccess(PROBE + STABLE)).isEqualTo(Transition.CLOSED);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.allowsCall(PROBE + STABLE)).isTrue();
  }

  @Test
  void aFailureWhileRecoveringReopensAndRestartsTheStablePeriod() {
    open(0);
    breaker.onSuccess(PROBE);
    assertThat(breaker.onFailure(PROBE + 1)).isEqualTo(Transition.NONE);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.allowsCall(2 * PROBE)).isFalse();
    assertThat(breaker.allowsCall(2 * PROBE + 1)).isTrue();
    breaker.onSuccess(2 * PROBE + 1);
    assertThat(breaker.onSuccess(PROBE + STABLE)).isEqualTo(Transition.NONE);
    assertThat(breaker.onSuccess(2 * PROBE + 1 + STABLE)).isEqualTo(Transition.CLOSED);
  }

  @Test
  void aClosedBreakerAfterRecoveryNeedsFailuresInARowAgain() {
    open(0);
    breaker.onSuccess(PROBE);
    breaker.onSuccess(PROBE + STABLE);
    assertThat(breaker.onFailure(PROBE + STABLE + 1)).isEqualTo(Transition.NONE);
    assertThat(breaker.onFailure(PROBE + STABLE + 2)).isEqualTo(Transition.NONE);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  private void open(long now) {
    for (int i = 0; i < 3; i++) {
      breaker.onFailure(now);
    }
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }
}
