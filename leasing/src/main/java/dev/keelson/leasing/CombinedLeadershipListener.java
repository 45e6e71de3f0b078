package dev.keelson.leasing;

import dev.keelson.core.internal.Listeners;
import java.util.List;

/** Tells each of several listeners, in order: what {@link LeadershipListener#of} returns. */
record CombinedLeadershipListener(List<LeadershipListener> all) implements LeadershipListener {

  @Override
  public void onGained(String election, long token) {
    Listeners.each(all, "onGained", l -> l.onGained(election, token));
  }

  @Override
  public void onLost(String election) {
    Listeners.each(all, "onLost", l -> l.onLost(election));
  }
}
