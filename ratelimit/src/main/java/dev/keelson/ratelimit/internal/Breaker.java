package dev.keelson.ratelimit.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stops calling a backend that keeps failing, and lets it back in only after it has answered for a
 * whole stable period, so a flapping backend does not thrash callers between modes.
 *
 * <p>CLOSED: every call goes through; {@code failuresToOpen} failures in a row open it. OPEN: no
 * call goes through but one probe per {@code probeInterval}; a successful probe starts RECOVERING.
 * RECOVERING: still only probes; any failure reopens it, and probes that succeed for {@code
 * stablePeriod} close it. Thread-safe and lock-free.
 */
public final class Breaker {

  /** The breaker's states. */
  public enum State {
    CLOSED,
    OPEN,
    RECOVERING
  }

  /** What a state change means to the caller. */
  public enum Transition {
    NONE,
    OPENED,
    CLOSED
  }

  private final int failuresToOpen;
  private final long probeIntervalNanos;
  private final long stablePeriodNanos;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  private final AtomicLong nextProbeAt = new AtomicLong();
  private volatile State state = State.CLOSED;
  private volatile long recoveringSince;

  public Breaker(int failuresToOpen, long probeIntervalNanos, long stablePeriodNanos) {
    this.failuresToOpen = failuresToOpen;
    this.probeIntervalNanos = probeIntervalNanos;
    this.stablePeriodNanos = stablePeriodNanos;
  }

  public State state() {
    return state;
  }

  /** Whether this call may go to the backend (always when closed; one probe per interval else). */
  public boolean allowsCall(long now) {
    if (state == State.CLOSED) {
      return true;
    }
    long due = nextProbeAt.get();
    return now - due >= 0 && nextProbeAt.compareAndSet(due, now + probeIntervalNanos);
  }

  public Transition onSuccess(long now) {
    // Nearly every call: closed, no failures to forget. No lock and no write, so callers on many
    // threads do not queue on the breaker (a success racing a failure may forget it, as a success
    // just after it would).
    if (state == State.CLOSED) {
      if (consecutiveFailures.get() != 0) {
        consecutiveFailures.set(0);
      }
      return Transition.NONE;
    }
    return onSuccessWhileOpen(now);
  }

  private synchronized Transition onSuccessWhileOpen(long now) {
    switch (state) {
      case CLOSED:
        consecutiveFailures.set(0);
        return Transition.NONE;
      case OPEN:
        state = State.RECOVERING;
        recoveringSince = now;
        return Transition.NONE;
      default:
        if (now - recoveringSince >= stablePeriodNanos) {
          state = State.CLOSED;
          consecutiveFailures.set(0);
          return Transition.CLOSED;
        }
        return Transition.NONE;
    }
  }

  public synchronized Transition onFailure(long now) {
    nextProbeAt.set(now + probeIntervalNanos);
    if (state == State.CLOSED) {
      if (consecutiveFailures.incrementAndGet() < failuresToOpen) {
        return Transition.NONE;
      }
      state = State.OPEN;
      return Transition.OPENED;
    }
    state = State.OPEN;
    return Transition.NONE;
  }
}
