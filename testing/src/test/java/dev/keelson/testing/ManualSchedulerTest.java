package dev.keelson.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ManualSchedulerTest {

  private final ManualClock clock = ManualClock.create();
  private final ManualScheduler scheduler = new ManualScheduler(clock);

  @Test
  void runsTasksInDueOrderMovingTheClock() {
    List<String> ran = new ArrayList<>();
    scheduler.schedule(() -> ran.add("b at " + clock.nanoTime()), 200, TimeUnit.NANOSECONDS);
    scheduler.schedule(() -> ran.add("a at " + clock.nanoTime()), 100, TimeUnit.NANOSECONDS);
    scheduler.schedule(() -> ran.add("c at " + clock.nanoTime()), 200, TimeUnit.NANOSECONDS);

    assertThat(ran).isEmpty();
    assertThat(scheduler.nextDelay()).hasValue(Duration.ofNanos(100));
    while (scheduler.runNext()) {
      // run them all
    }

    assertThat(ran).containsExactly("a at 100", "b at 200", "c at 200");
    assertThat(scheduler.getActiveCount()).isZero();
  }

  @Test
  void advanceRunsWhatIsDueAndStopsAtTheEnd() {
    List<Long> ran = new ArrayList<>();
    scheduler.schedule(() -> ran.add(clock.nanoTime()), 1, TimeUnit.SECONDS);
    scheduler.schedule(() -> ran.add(clock.nanoTime()), 3, TimeUnit.SECONDS);

    scheduler.advance(Duration.ofSeconds(2));

    assertThat(ran).containsExactly(1_000_000_000L);
    assertThat(clock.nanoTime()).isEqualTo(2_000_000_000L);
    assertThat(scheduler.pending()).isEqualTo(1);
  }

  @Test
  void cancelledTasksNeverRun() {
    List<String> ran = new ArrayList<>();
    ScheduledFuture<?> timer = scheduler.schedule(() -> ran.add("no"), 1, TimeUnit.SECONDS);

    timer.cancel(false);

    assertThat(scheduler.pending()).isZero();
    assertThat(scheduler.runNext()).isFalse();
    assertThat(ran).isEmpty();
  }

  @Test
  void periodicTasksAreRefusedAndAShutDownSchedulerRejects() {
    assertThatThrownBy(() -> scheduler.scheduleAtFixedRate(() -> {}, 1, 1, TimeUnit.SECONDS))
        .isInstanceOf(UnsupportedOperationException.class);

    scheduler.shutdown();

    assertThatThrownBy(() -> scheduler.schedule(() -> {}, 1, TimeUnit.SECONDS))
        .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
  }
}
