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
}
