package dev.keelson.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ListenersTest {

  interface Hears {
    void heard(String what);
  }

  @Test
  void aListenerThatThrowsIsIgnoredAndTheNextCallStillReachesIt() {
    List<String> heard = new ArrayList<>();
    Hears flaky =
        what -> {
          heard.add(what);
          throw new IllegalStateException("a bug in the listener");
        };

    Listeners.notify(flaky, "heard", l -> l.heard("first"));
    Listeners.notify(flaky, "heard", l -> l.heard("second"));

    assertThat(heard).containsExactly("first", "second");
  }

  @Test
  void errorsAListenerThrowsAreIgnoredToo() {
    Hears asserting =
        what -> {
          throw new AssertionError("not what the listener expected");
        };

    Listeners.notify(asserting, "heard", l -> l.heard("x"));
  }

  @Test
  void theVirtualMachinesOwnErrorsPassThrough() {
    Hears starving =
        what -> {
          throw new OutOfMemoryError("no room");
        };

    assertThatThrownBy(() -> Listeners.notify(starving, "heard", l -> l.heard("x")))
        .isInstanceOf(OutOfMemoryError.class);
  }

  /** What a module's combined listener looks like. */
  record Combined(List<Hears> all) implements Hears {
    @Override
    public void heard(String what) {
      Listeners.each(all, "heard", l -> l.heard(what));
    }
  }

  private static final Hears NONE = what -> {};

  private static Hears of(Hears... listeners) {
    return Listeners.combine(listeners, NONE, Combined::new);
  }

  @Test
  void combinedListenersHearEachEventInOrderAndOneThatThrowsDoesNotStopTheNext() {
    List<String> heard = new ArrayList<>();
    Hears first = what -> heard.add("first " + what);
    Hears broken =
        what -> {
          throw new IllegalStateException("a bug in the listener");
        };
    Hears last = what -> heard.add("last " + what);

    of(first, broken, last).heard("x");

    assertThat(heard).containsExactly("first x", "last x");
  }

  @Test
  void combiningOneListenerGivesItBackAndCombiningNoneOrOnlyNoOpsGivesTheNoOpOne() {
    Hears only = what -> {};

    assertThat(of(only)).isSameAs(only);
    assertThat(of(NONE, only, NONE)).isSameAs(only);
    assertThat(of()).isSameAs(NONE);
    assertThat(of(NONE, NONE)).isSameAs(NONE);
  }

  @Test
  void aNullListenerIsRejectedByItsPosition() {
    Hears only = what -> {};

    assertThatThrownBy(() -> of(only, null)).hasMessage("listeners[1]");
    assertThatThrownBy(() -> of((Hears[]) null)).hasMessage("listeners");
  }
}
