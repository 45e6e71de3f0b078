package dev.keelson.leasing;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Writes down every task event as a line, for tests to compare. */
public final class RecordingTaskListener implements TaskListener {

  private final List<String> heard = new CopyOnWriteArrayList<>();
  private final Set<String> names = ConcurrentHashMap.newKeySet();

  public List<String> heard() {
    return List.copyOf(heard);
  }

  /** The task queue names the events carried. */
  public Set<String> names() {
    return Set.copyOf(names);
  }

  @Override
  public void onClaimed(String taskQueue, ClaimedTask task) {
    names.add(taskQueue);
    heard.add("claimed " + task.id() + " token " + task.token());
  }

  @Override
  public void onReclaimed(String taskQueue, ClaimedTask task, String previousOwner) {
    names.add(taskQueue);
    heard.add("reclaimed " + task.id() + " token " + task.token() + " from " + previousOwner);
  }

  @Override
  public void onCompleted(String taskQueue, ClaimedTask task) {
    names.add(taskQueue);
    heard.add("completed " + task.id() + " token " + task.token());
  }

  @Override
  public void onRetryScheduled(String taskQueue, ClaimedTask task, String error, Duration delay) {
    names.add(taskQueue);
    heard.add("retry " + task.id() + " in " + delay + " after " + error);
  }

  @Override
  public void onDead(String taskQueue, String queue, long id, String lastError) {
    names.add(taskQueue);
    heard.add("dead " + id + " after " + lastError);
  }

  @Override
  public void onStaleClaim(String taskQueue, ClaimedTask task) {
    names.add(taskQueue);
    heard.add("stale " + task.id() + " token " + task.token());
  }
}
