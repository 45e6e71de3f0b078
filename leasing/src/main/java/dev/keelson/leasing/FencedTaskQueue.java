package dev.keelson.leasing;

import dev.keelson.core.internal.Checks;
import dev.keelson.core.internal.Listeners;
import dev.keelson.core.internal.Names;
import dev.keelson.leasing.internal.LeaseChecks;
import dev.keelson.retry.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * What every task queue backend shares: argument checks, the choice between a retry after a backoff
 * and the dead state, and the {@link TaskListener} events. A backend supplies the four store
 * operations, each atomic in its store.
 */
public abstract class FencedTaskQueue implements TaskQueue {

  private final String name;
  private final int maxAttempts;
  private final Backoff backoff;
  private final TaskListener listener;

  /**
   * @param settings the builder's settings
   * @param unnamed the name of a queue whose builder was given none
   */
  protected FencedTaskQueue(Settings<?> settings, String unnamed) {
    this.name = settings.name != null ? settings.name : unnamed;
    this.maxAttempts = settings.maxAttempts;
    this.backoff = settings.backoff;
    this.listener = settings.listener;
  }

  /**
   * A claim made by {@link #claimDue}.
   *
   * @param task the claimed task
   * @param previousOwner the worker whose claim of this task ran out, or null if the task was
   *     simply due
   */
  public record Claim(ClaimedTask task, @Nullable String previousOwner) {}

  /**
   * A task {@link #claimDue} moved to the dead state because its claims ran out too often.
   *
   * @param id the task
   * @param lastError its last error
   */
  public record Buried(long id, String lastError) {}

  /**
   * What one claim did.
   *
   * @param claimed the claims made, oldest due first
   * @param buried the tasks found exhausted and moved to the dead state instead
   */
  public record Claims(List<Claim> claimed, List<Buried> buried) {}

  /**
   * Atomically: moves due tasks already claimed {@code maxAttempts} times to the dead state, then
   * claims up to {@code max} due tasks (bumping token and attempts, recording the owner, moving the
   * due time to the claim's end).
   */
  protected abstract Claims claimDue(
      String queue, String owner, int max, Duration claimTime, int maxAttempts);

  /** Marks the task done if the claim is current; false (nothing changed) if stale. */
  protected abstract boolean markDone(ClaimedTask task);

  /**
   * Makes the task due again after the delay, with its error and no owner, if the claim is current.
   */
  protected abstract boolean markRetry(ClaimedTask task, String error, Duration delay);

  /** Moves the task to the dead state with its error, if the claim is current. */
  protected abstract boolean markDead(ClaimedTask task, String error);

  @Override
  public final List<ClaimedTask> claim(String queue, String owner, int max, Duration claimTime) {
    LeaseChecks.claim(queue, owner, max, claimTime);
    Claims claims = claimDue(queue, owner, max, claimTime, maxAttempts);
    for (Buried buried : claims.buried()) {
      Listeners.notify(
          listener, "onDead", l -> l.onDead(name, queue, buried.id(), buried.lastError()));
    }
    List<ClaimedTask> tasks = new ArrayList<>(claims.claimed().size());
    for (Claim claim : claims.claimed()) {
      tasks.add(claim.task());
      String previousOwner = claim.previousOwner();
      if (previousOwner == null) {
        Listeners.notify(listener, "onClaimed", l -> l.onClaimed(name, claim.task()));
      } else {
        Listeners.notify(
            listener, "onReclaimed", l -> l.onReclaimed(name, claim.task(), previousOwner));
      }
    }
    return tasks;
  }

  @Override
  public final boolean complete(ClaimedTask task) {
    Objects.requireNonNull(task, "task");
    boolean done = markDone(task);
    if (done) {
      Listeners.notify(listener, "onCompleted", l -> l.onCompleted(name, task));
    } else {
      Listeners.notify(listener, "onStaleClaim", l -> l.onStaleClaim(name, task));
    }
    return done;
  }

  @Override
  public final boolean fail(ClaimedTask task, String error) {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(error, "error");
    boolean recorded;
    if (task.attempt() >= maxAttempts) {
      recorded = markDead(task, error);
      if (recorded) {
        Listeners.notify(listener, "onDead", l -> l.onDead(name, task.queue(), task.id(), error));
      }
    } else {
      Duration delay =
          Duration.ofNanos(
              backoff.delayNanos(
                  task.attempt(), task.lastBackoff().toNanos(), ThreadLocalRandom.current()));
      recorded = markRetry(task, error, delay);
      if (recorded) {
        Listeners.notify(
            listener, "onRetryScheduled", l -> l.onRetryScheduled(name, task, error, delay));
      }
    }
    if (!recorded) {
      Listeners.notify(listener, "onStaleClaim", l -> l.onStaleClaim(name, task));
    }
    return recorded;
  }

  /**
   * @return the name its listener events carry
   */
  public final String name() {
    return name;
  }

  /**
   * The settings every backend's builder has.
   *
   * @param <B> the backend's builder
   */
  public abstract static class Settings<B extends Settings<B>> {
    private @Nullable String name;
    private int maxAttempts = 5;
    private Backoff backoff = Backoff.fullJitter(Duration.ofSeconds(1), Duration.ofMinutes(10));
    private TaskListener listener = TaskListener.NONE;

    protected Settings() {}

    /** This builder, typed as the backend's. */
    protected abstract B self();

    /**
     * @param maxAttempts claims a task gets before it is dead, 1 to 100 (default 5)
     * @return this builder
     */
    public B maxAttempts(int maxAttempts) {
      this.maxAttempts = Checks.between("maxAttempts", maxAttempts, 1, 100);
      return self();
    }

    /**
     * @param backoff the wait before a failed task is due again (default full jitter, 1 s base, 10
     *     min cap)
     * @return this builder
     */
    public B backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return self();
    }

    /**
     * @param name what this queue's listener events carry, for metrics and logs: 1 to 64 characters
     *     (default: the table of a JDBC queue, {@code default} otherwise)
     * @return this builder
     */
    public B name(String name) {
      this.name = Names.check(name);
      return self();
    }

    /**
     * @param listener hears claims, completions, retries, dead tasks and stale claims (default
     *     none)
     * @return this builder
     */
    public B listener(TaskListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return self();
    }
  }
}
