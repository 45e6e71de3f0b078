package dev.keelson.leasing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keelson.testing.ManualClock;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The holder's own deadline, on its monotonic clock, whatever the store says. */
class LeaserTest {

  private final ManualClock clock = ManualClock.create();
  private final InMemoryLeaseStore store = InMemoryLeaseStore.builder().clock(clock).build();
  private final Leaser leaser =
      Leaser.builder(store).owner("me").safetyShare(0.2).ticker(clock::nanoTime).build();

  @Test
  void aLeaseIsHeldUntilItsLocalDeadlineOnly() {
    Lease lease = leaser.tryAcquire("report", Duration.ofSeconds(10)).orElseThrow();
    assertThat(lease.isHeld()).isTrue();
    assertThat(lease.remaining()).isEqualTo(Duration.ofSeconds(8));

    clock.advance(Duration.ofSeconds(8));

    // The store would still renew it, but the holder gave it up at its deadline.
    assertThat(lease.isHeld()).isFalse();
    assertThat(leaser.renew(lease)).isEmpty();
  }

  @Test
  void aRenewalMovesTheDeadlineAndKeepsTheToken() {
    Lease lease = leaser.tryAcquire("report", Duration.ofSeconds(10)).orElseThrow();
    clock.advance(Duration.ofSeconds(5));

    Lease renewed = leaser.renew(lease).orElseThrow();

    assertThat(renewed.token()).isEqualTo(lease.token());
    assertThat(renewed.remaining()).isEqualTo(Duration.ofSeconds(8));
    assertThat(leaser.release(renewed)).isTrue();
  }

  @Test
  void badInputIsRejectedByName() {
    assertThatThrownBy(() -> leaser.tryAcquire("", Duration.ofSeconds(1)))
        .hasMessageStartingWith("resource: ");
    assertThatThrownBy(() -> leaser.tryAcquire("{x}", Duration.ofSeconds(1)))
        .hasMessageContaining("'{'");
    assertThatThrownBy(() -> leaser.tryAcquire("x", Duration.ofMillis(1)))
        .hasMessageStartingWith("ttl: PT0.001S");
    assertThatThrownBy(() -> Leaser.builder(store).safetyShare(0.9))
        .hasMessageStartingWith("safetyShare: 0.9");
    assertThatThrownBy(() -> Leaser.builder(store).owner("")).hasMessageStartingWith("owner: ");
  }

  @Test
  void eventsCarryTheLeasersNameToEveryCombinedListener() {
    List<String> heard = new CopyOnWriteArrayList<>();
    LeaseListener byName =
        new LeaseListener() {
          @Override
          public void onAcquired(String leaser, Lease lease) {
            heard.add(leaser + " acquired " + lease.resource());
          }

          @Override
          public void onReleased(String leaser, Lease lease) {
            heard.add(leaser + " released " + lease.resource());
          }
        };
    LeaseListener broken =
        new LeaseListener() {
          @Override
          public void onAcquired(String leaser, Lease lease) {
            throw new IllegalStateException("a bug in a metrics listener");
          }
        };
    Leaser reports =
        Leaser.builder(store).name("reports").listener(LeaseListener.of(broken, byName)).build();

    Lease lease = reports.tryAcquire("nightly", Duration.ofSeconds(10)).orElseThrow();
    reports.release(lease);

    assertThat(heard).containsExactly("reports acquired nightly", "reports released nightly");
    assertThat(reports.name()).isEqualTo("reports");
    assertThat(leaser.name()).isEqualTo("default");
    assertThatThrownBy(() -> Leaser.builder(store).name("")).hasMessageStartingWith("name: ");
    assertThat(LeaseListener.of()).isSameAs(LeaseListener.NONE);
    assertThat(TaskListener.of()).isSameAs(TaskListener.NONE);
    assertThatThrownBy(() -> TaskListener.of(TaskListener.NONE, null)).hasMessage("listeners[1]");
  }

  @Test
  void eachCombinedListenerPassesOnEveryEvent() throws Exception {
    assertPassesOnEveryEvent(LeaseListener.class, CombinedLeaseListener.class);
    assertPassesOnEveryEvent(TaskListener.class, CombinedTaskListener.class);
    assertPassesOnEveryEvent(LeadershipListener.class, CombinedLeadershipListener.class);
  }

  private static void assertPassesOnEveryEvent(Class<?> listener, Class<?> combined)
      throws NoSuchMethodException {
    for (Method event : listener.getDeclaredMethods()) {
      if (event.isDefault()) {
        assertThat(combined.getDeclaredMethod(event.getName(), event.getParameterTypes()))
            .as(event.getName())
            .isNotNull();
      }
    }
  }
}
