package dev.keelson.leasing;

import dev.keelson.core.internal.Listeners;
import java.util.List;

/** Tells each of several listeners, in order: what {@link LeaseListener#of} returns. */
record CombinedLeaseListener(List<LeaseListener> all) implements LeaseListener {

  @Override
  public void onAcquired(String leaser, Lease lease) {
    Listeners.each(all, "onAcquired", l -> l.onAcquired(leaser, lease));
  }

  @Override
  public void onRenewed(String leaser, Lease lease) {
    Listeners.each(all, "onRenewed", l -> l.onRenewed(leaser, lease));
  }

  @Override
  public void onLost(String leaser, Lease lease) {
    Listeners.each(all, "onLost", l -> l.onLost(leaser, lease));
  }

  @Override
  public void onReleased(String leaser, Lease lease) {
    Listeners.each(all, "onReleased", l -> l.onReleased(leaser, lease));
  }
}
