package dev.keelson.core.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * Listeners.notify(listener, "onDecision", l -> l.onDecision(name, key, decision));
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
