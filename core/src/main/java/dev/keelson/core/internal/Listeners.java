package dev.keelson.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way every Keelson component calls its listener: a listener that throws is logged and
 * ignored, so it never changes an outcome, skips a step or leaves a future incomplete. The first
 * failure of each kind (listener class and event) is logged at WARN with its stack trace, later
 * ones at DEBUG, so a broken listener on a hot path cannot flood the log. Errors of the virtual
 * machine ({@link VirtualMachineError}: out of memory, stack overflow) are not listener bugs and
 * pass through.
 *
 * <pre>{@code
 * Listeners.notify(listener, "onDecision", l -> l.onDecision(name, key, decision, source));
 * }</pre>
 */
public final class Listeners {

  private static final Logger log = LoggerFactory.getLogger(Listeners.class);
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

  private Listeners() {}

  /**
   * One call of a listener.
   *
   * @param <L> the listener's type
   */
  @FunctionalInterface
  public interface Call<L> {
    void on(L listener);
  }

  /**
   * Calls the listener; if it throws, logs the failure and returns normally.
   *
   * @param listener the listener
   * @param event the event's name, as the log names it (the listener method)
   * @param call what to tell it
   * @param <L> the listener's type
   */
  public static <L> void notify(L listener, String event, Call<L> call) {
    try {
      call.on(listener);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) { // a listener's bug, whatever its type, is not the caller's outcome
      failed(listener, event, e);
    }
  }

  /**
   * Calls each listener in turn, as {@link #notify} does: one that throws does not stop the next.
   * What a module's combined listener ({@code XListener.of(a, b)}) does for every event.
   *
   * @param listeners the listeners, in order
   * @param event the event's name, as the log names it (the listener method)
   * @param call what to tell each
   * @param <L> the listeners' type
   */
  public static <L> void each(List<L> listeners, String event, Call<L> call) {
    for (int i = 0; i < listeners.size(); i++) { // no iterator: this runs for every event
      notify(listeners.get(i), event, call);
    }
  }

  /**
   * What every {@code XListener.of(listeners...)} returns: the no-op listener for none, the one
   * listener itself, or a listener that tells each in turn (built by {@code combined} on the
   * checked list, with {@link #each}). No-op listeners are left out, so a component given only
   * those stays on its no-op path.
   *
   * @param listeners what the user passed
   * @param none the module's no-op listener
   * @param combined makes the listener that tells each of a list
   * @param <L> the listeners' type
   * @return the listener to use
   * @throws NullPointerException if the array or one of its elements is null
   */
  public static <L> L combine(L[] listeners, L none, Function<List<L>, L> combined) {
    Objects.requireNonNull(listeners, "listeners");
    List<L> told = new ArrayList<>(listeners.length);
    for (int i = 0; i < listeners.length; i++) {
      L listener = Objects.requireNonNull(listeners[i], "listeners[" + i + "]");
      if (listener != none) {
        told.add(listener);
      }
    }
    return switch (told.size()) {
      case 0 -> none;
      case 1 -> told.get(0);
      default -> combined.apply(List.copyOf(told));
    };
  }

  private static void failed(Object listener, String event, Throwable e) {
    String kind = listener.getClass().getName() + "." + event;
    if (LOGGED.add(kind)) {
      log.warn(
          "listener {} threw from {}; ignored, and logged only once at WARN: {}",
          listener.getClass().getName(),
          event,
          e.toString(),
          e);
    } else {
      log.debug("listener {} threw from {} again; ignored", kind, event, e);
    }
  }
}
