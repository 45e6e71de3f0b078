package dev.keelson.leasing;

import dev.keelson.core.internal.Listeners;
import java.time.Duration;
import java.util.List;

/** Tells each of several listeners, in order: what {@link TaskListener#of} returns. */
record CombinedTaskListener(List<TaskListener> all) implements TaskListener {

  @Override
  public void onClaimed(String taskQueue, ClaimedTask task) {
    Listeners.each(all, "onClaimed", l -> l.onClaimed(taskQueue, task));
  }

  @Override
  public void onReclaimed(String taskQueue, ClaimedTask task, String previousOwner) {
    Listeners.each(all, "onReclaimed", l -> l.onReclaimed(taskQueue, task, previousOwner));
  }

  @Override
  public void onCompleted(String taskQueue, ClaimedTask task) {
    Listeners.each(all, "onCompleted", l -> l.onCompleted(taskQueue, task));
  }

  @Override
  public void onRetryScheduled(String taskQueue, ClaimedTask task, String error, Duration delay) {
    Listeners.each(all, "onRetryScheduled", l -> l.onRetryScheduled(taskQueue, task, error, delay));
  }

  @Override
  public void onDead(String taskQueue, String queue, long id, String lastError) {
    Listeners.each(all, "onDead", l -> l.onDead(taskQueue, queue, id, lastError));
  }

  @Override
  public void onStaleClaim(String taskQueue, ClaimedTask task) {
    Listeners.each(all, "onStaleClaim", l -> l.onStaleClaim(taskQueue, task));
  }
}
