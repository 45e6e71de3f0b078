package dev.keelson.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.testing.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The deadline is never exceeded, on a manual clock that only the test moves. */
class DeadlineTest {

  private final ManualClock clock = ManualClock.create();

  private Retry.Builder policy(Duration deadline) {
    return Retry.builder()
        .withoutBudget()
        .ticker(clock::nanoTime)
        .sleeper(nanos -> clock.advance(Duration.ofNanos(nanos)))
        .deadline(deadline);
  }

  @Test
  void noAttemptStartsAndNoWaitEndsPastTheDeadline() {
    for (long seed = 0; seed < 300; seed++) {
      SplittableRandom work = new SplittableRandom(seed);
      Duration deadline = Duration.ofMillis(200 + work.nextInt(2000));
      Duration minimum = Duration.ofMillis(work.nextInt(50));
      long start = clock.nanoTime();
      long end = start + deadline.toNanos();
      List<long[]> attempts = new ArrayList<>();
      Retry retry =
          policy(deadline)
              .maxAttempts(100)
              .minimumAttemptTime(minimum)
              .backoff(Backoff.fullJitter(Duration.ofMillis(10), Duration.ofMillis(400)))
              .random(new SplittableRandom(seed))
              .build();

      assertThatThrownBy(
              () ->
                  retry.call(
                      attempt -> {
                        long begun = clock.nanoTime();
                        assertThat(attempt.remainingNanos()).isEqualTo(end - begun);
                        clock.advance(Duration.ofMillis(work.nextInt(100)));
                        attempts.add(new long[] {begun, clock.nanoTime()});
                        throw new IOException("down");
                      }))
          .isInstanceOf(IOException.class)
          .satisfies(
              e ->
                  assertThat(RetryStoppedException.in(e).orElseThrow().reason())
                      .isIn(StopReason.DEADLINE, StopReason.ATTEMPTS_EXHAUSTED));

      for (int i = 1; i < attempts.size(); i++) {
        long begun = attempts.get(i)[0];
        assertThat(begun)
            .as("seed %d attempt %d start", seed, i + 1)
            .isLessThan(end - minimum.toNanos());
      }
      clock.advance(Duration.ofSeconds(10));
    }
  }

  @Test
  void aWaitThatWouldCrossTheDeadlineEndsTheCallAtOnce() {
    RecordingListener listener = new RecordingListener();
    Retry retry =
        policy(Duration.ofMillis(250))
            .backoff(Backoff.fixed(Duration.ofMillis(300)))
            .listener(listener)
            .build();
    long start = clock.nanoTime();

    assertThatThrownBy(
            () ->
                retry.call(
                    () -> {
                      throw new IOException("down");
                    }))
        .isInstanceOf(IOException.class)
        .satisfies(
            e ->
                assertThat(RetryStoppedException.in(e).orElseThrow().reason())
                    .isEqualTo(StopReason.DEADLINE));

    assertThat(clock.nanoTime()).isEqualTo(start);
    assertThat(listener.events).containsExactly("attempt 1", "deadline after 1");
  }

  @Test
  void eachAttemptSeesTheTimeLeft() throws Exception {
    List<Duration> remaining = new ArrayList<>();
    Retry retry =
        policy(Duration.ofSeconds(1)).backoff(Backoff.fixed(Duration.ofMillis(100))).build();

    retry.call(
        attempt -> {
          remaining.add(attempt.remaining().orElseThrow());
          clock.advance(Duration.ofMillis(50));
          if (attempt.number() < 3) {
            throw new IOException("again");
          }
          return "ok";
        });

    assertThat(remaining)
        .containsExactly(Duration.ofMillis(1000), Duration.ofMillis(850), Duration.ofMillis(700));
  }

  @Test
  void aWallClockJumpDoesNotMoveTheDeadline() throws Exception {
    Retry retry =
        policy(Duration.ofSeconds(1)).backoff(Backoff.fixed(Duration.ofMillis(100))).build();

    String result =
        retry.call(
            attempt -> {
              clock.jumpWallClock(Duration.ofHours(-2));
              if (attempt.number() < 3) {
                throw new IOException("again");
              }
              return "ok";
            });

    assertThat(result).isEqualTo("ok");
  }

  @Test
  void theDeadlineHoldsWhereverTheTickerStarts() throws Exception {
    // System.nanoTime() has an arbitrary origin: a reading near Long.MAX_VALUE wraps to negative.
    clock.advance(Duration.ofNanos(Long.MAX_VALUE - Duration.ofMillis(150).toNanos()));
    List<Duration> remaining = new ArrayList<>();
    Retry retry =
        policy(Duration.ofSeconds(1)).backoff(Backoff.fixed(Duration.ofMillis(100))).build();

    String result =
        retry.call(
            attempt -> {
              remaining.add(attempt.remaining().orElseThrow());
              if (attempt.number() < 3) {
                throw new IOException("again");
              }
              return "ok";
            });

    assertThat(result).isEqualTo("ok");
    assertThat(remaining)
        .containsExactly(Duration.ofMillis(1000), Duration.ofMillis(900), Duration.ofMillis(800));
  }

  @Test
  void settingsNearTheLongestDurationDoNotOverflow() {
    Duration longest = Duration.ofDays(365L * 300); // past Long.MAX_VALUE nanoseconds
    Duration hint = Duration.ofDays(365L * 150);
    clock.advance(Duration.ofHours(1));
    List<Long> remaining = new ArrayList<>();
    Retry retry =
        policy(longest)
            .minimumAttemptTime(Duration.ofDays(365L * 100))
            .maxRetryAfter(longest)
            .retryAfter(IOException.class, e -> hint)
            .build();

    assertThatThrownBy(
            () ->
                retry.call(
                    attempt -> {
                      remaining.add(attempt.remainingNanos());
                      throw new IOException("again");
                    }))
        .satisfies(
            e ->
                assertThat(RetryStoppedException.in(e).orElseThrow().reason())
                    .isEqualTo(StopReason.DEADLINE));

    // The deadline saturates at Long.MAX_VALUE nanoseconds from the start; one hint fits in it
    // with the minimum to spare, a second does not.
    assertThat(remaining).containsExactly(Long.MAX_VALUE, Long.MAX_VALUE - hint.toNanos());
  }
}
