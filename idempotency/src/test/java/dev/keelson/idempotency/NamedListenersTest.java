package dev.keelson.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Events carry the executor's name, and combined listeners each hear every event. */
class NamedListenersTest {

  private final List<String> heard = new CopyOnWriteArrayList<>();
  private final IdempotencyListener byName =
      new IdempotencyListener() {
        @Override
        public void onExecuted(String idempotency, IdempotencyKey key) {
          heard.add(idempotency + " executed " + key.key());
        }

        @Override
        public void onReplayed(String idempotency, IdempotencyKey key, boolean fromLocalCache) {
          heard.add(idempotency + " replayed " + key.key());
        }
      };
  private final IdempotencyListener broken =
      new IdempotencyListener() {
        @Override
        public void onExecuted(String idempotency, IdempotencyKey key) {
          throw new IllegalStateException("a bug in a metrics listener");
        }
      };

  @Test
  void eachExecutorsEventsCarryItsNameToEveryCombinedListener() {
    RecordingIdempotencyListener recording = new RecordingIdempotencyListener();
    IdempotencyListener both = IdempotencyListener.of(broken, byName, recording);
    InMemoryIdempotencyStore store = InMemoryIdempotencyStore.withDefaults();
    Idempotency<String> payments =
        Idempotency.builder(store, ResultSerializer.UTF8).name("payments").listener(both).build();
    Idempotency<String> refunds =
        Idempotency.builder(store, ResultSerializer.UTF8).name("refunds").listener(both).build();
    Fingerprint body = Fingerprint.builder().add("body", "{}").build();

    payments.execute(IdempotencyKey.of("t", "k1"), body, () -> "ok");
    payments.execute(IdempotencyKey.of("t", "k1"), body, () -> "again");
    refunds.execute(IdempotencyKey.of("t", "k2"), body, () -> "ok");

    assertThat(heard)
        .containsExactly("payments executed k1", "payments replayed k1", "refunds executed k2");
    assertThat(recording.heard()).containsExactly("executed k1", "replayed k1", "executed k2");
    assertThat(payments.name()).isEqualTo("payments");
  }

  @Test
  void anUnnamedExecutorIsCalledDefaultAndABlankNameIsRejected() {
    InMemoryIdempotencyStore store = InMemoryIdempotencyStore.withDefaults();

    assertThat(Idempotency.builder(store, ResultSerializer.UTF8).build().name())
        .isEqualTo("default");
    assertThatThrownBy(() -> Idempotency.builder(store, ResultSerializer.UTF8).name(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("name: ");
  }

  @Test
  void combiningChecksItsListeners() {
    assertThat(IdempotencyListener.of()).isSameAs(IdempotencyListener.NONE);
    assertThat(IdempotencyListener.of(byName)).isSameAs(byName);
    assertThatThrownBy(() -> IdempotencyListener.of(byName, null)).hasMessage("listeners[1]");
  }

  @Test
  void theCombinedIdempotencyListenerPassesOnEveryEvent() throws Exception {
    for (Method event : IdempotencyListener.class.getDeclaredMethods()) {
      if (event.isDefault()) {
        assertThat(
                CombinedIdempotencyListener.class.getDeclaredMethod(
                    event.getName(), event.getParameterTypes()))
            .as(event.getName())
            .isNotNull();
      }
    }
  }
}
