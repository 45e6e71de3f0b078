package dev.keelson.leasing;

import dev.keelson.core.internal.Listeners;
import java.time.Duration;
import java.util.List;

/** Tells each of several listeners, in order: what {@link TaskListener#of} returns. */
record CombinedTaskListener(List<TaskListener> all) implements TaskListener {

  @Override
  public void onClaimed(ClaimedTask task) {
    Listeners.each(all, "onClaimed", l -> l.onClaimed(task));
  }

  @Override
  public void onReclaimed(ClaimedTask task, String previousOwner) {
    Listeners.each(all, "onReclaimed", l -> l.onReclaimed(task, previousOwner));
  }

  @Override
  public void onCompleted(ClaimedTask task) {
    Listeners.each(all, "onCompleted", l -> l.onCompleted(task));
  }

  @Override
  public void onRetryScheduled(ClaimedTask task, String error, Duration delay) {
    Listeners.each(all, "onRetryScheduled", l -> l.onRetryScheduled(task, error, delay));
  }

  @Override
  public void onDead(String queue, long id, String lastError) {
    Listeners.each(all, "onDead", l -> l.onDead(queue, id, lastError));
  }

  @Override
  public void onStaleClaim(ClaimedTask task) {
    Listeners.each(all, "onStaleClaim", l -> l.onStaleClaim(task));
  }
}
