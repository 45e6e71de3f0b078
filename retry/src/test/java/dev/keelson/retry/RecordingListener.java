package dev.keelson.retry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/** Writes every event down as a short line, and the retry's name it carried, for assertions. */
final class RecordingListener implements RetryListener {

  final List<String> events = new CopyOnWriteArrayList<>();
  final List<Long> delays = new CopyOnWriteArrayList<>();
  final List<String> names = new CopyOnWriteArrayList<>();

  @Override
  public void onAttempt(String retry, int attempt) {
    names.add(retry);
    events.add("attempt " + attempt);
  }

  @Override
  public void onRetryScheduled(
      String retry, int nextAttempt, long delayNanos, @Nullable Throwable failure) {
    names.add(retry);
    events.add("retry " + nextAttempt);
    delays.add(delayNanos);
  }

  @Override
  public void onBudgetRefused(String retry, int attempts, @Nullable Throwable failure) {
    names.add(retry);
    events.add("budget refused after " + attempts);
  }

  @Override
  public void onDeadlineReached(String retry, int attempts, @Nullable Throwable failure) {
    names.add(retry);
    events.add("deadline after " + attempts);
  }

  @Override
  public void onGaveUp(String retry, StopReason reason, int attempts, @Nullable Throwable failure) {
    names.add(retry);
    events.add("gave up " + reason + " after " + attempts);
  }

  @Override
  public void onSucceeded(String retry, int attempts) {
    names.add(retry);
    events.add("succeeded after " + attempts);
  }
}
