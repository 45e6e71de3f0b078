package dev.keelson.leasing;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Writes down every task event as a line, for tests to compare. */
public final class RecordingTaskListener implements TaskListener {

  private final List<String> heard = new CopyOnWriteArrayList<>();

  public List<String> heard() {
    return List.copyOf(heard);
  }

  @Override
  public void onClaimed(ClaimedTask task) {
    heard.add("claimed " + task.id() + " token " + task.token());
  }

  @Override
  public void onReclaimed(ClaimedTask task, String previousOwner) {
    heard.add("reclaimed " + task.id() + " token " + task.token() + " from " + previousOwner);
  }

  @Override
  public void onCompleted(ClaimedTask task) {
    heard.add("completed " + task.id() + " token " + task.token());
  }

  @Override
  public void onRetryScheduled(ClaimedTask task, String error, Duration delay) {
    heard.add("retry " + task.id() + " in " + delay + " after " + error);
  }

  @Override
  public void onDead(String queue, long id, String lastError) {
    heard.add("dead " + id + " after " + lastError);
  }

  @Override
  public void onStaleClaim(ClaimedTask task) {
    heard.add("stale " + task.id() + " token " + task.token());
  }
}
