package dev.keelson.micrometer;

import dev.keelson.core.Ticker;
import dev.keelson.core.internal.Checks;
import dev.keelson.leasing.ClaimedTask;
import dev.keelson.leasing.LeadershipListener;
import dev.keelson.leasing.Lease;
import dev.keelson.leasing.LeaseListener;
import dev.keelson.leasing.TaskListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Meters for leasers, leader elections and task queues, as their listeners (it is a {@link
 * LeaseListener}, a {@link LeadershipListener} and a {@link TaskListener}): give it to each one's
 * builder ({@code .listener(metrics)}), and their events are counted under their names, never a
 * resource or a payload. Meters (see the module README for the Prometheus names):
 *
 * <ul>
 *   <li>{@code keelson.leasing.leases} (counter; {@code name} of the leaser, {@code outcome}:
 *       {@code acquired}, {@code renewed}, {@code lost} or {@code released});
 *   <li>{@code keelson.leasing.leader} (gauge: how many candidates of the election's name lead in
 *       this JVM, so 1 or 0 for one candidate; {@code name} of the election) and {@code
 *       keelson.leasing.leadership} (counter; {@code outcome}: {@code gained} or {@code lost});
 *   <li>{@code keelson.leasing.tasks} (counter; {@code name} of the task queue, {@code outcome}:
 *       {@code claimed}, {@code reclaimed} (its previous claim ran out), {@code completed}, {@code
 *       retried}, {@code dead} or {@code stale} (a completion or failure refused)).
 * </ul>
 */
public final class LeasingMetrics implements LeaseListener, LeadershipListener, TaskListener {

  private final ByName<LeaserMeters> leasers;
  private final ByName<ElectionMeters> elections;
  private final ByName<QueueMeters> queues;
  private final Ticker ticker;
  private final long lostLeaderNanos;

  private LeasingMetrics(Builder builder) {
    Meters meters = builder.meters();
    this.leasers = new ByName<>(name -> new LeaserMeters(meters, name));
    this.elections = new ByName<>(name -> new ElectionMeters(meters, name));
    this.queues = new ByName<>(name -> new QueueMeters(meters, name));
    this.ticker = builder.ticker();
    this.lostLeaderNanos = builder.lostLeadership.toNanos();
  }

  /**
   * @param registry where the meters go
   * @return a builder
   */
  public static Builder builder(MeterRegistry registry) {
    return new Builder(registry);
  }

  /**
   * @param registry where the meters go
   * @return a binder with every default (see {@link Builder})
   */
  public static LeasingMetrics on(MeterRegistry registry) {
    return builder(registry).build();
  }

  @Override
  public void onAcquired(String leaser, Lease lease) {
    leasers.of(leaser).acquired.increment();
  }

  @Override
  public void onRenewed(String leaser, Lease lease) {
    leasers.of(leaser).renewed.increment();
  }

  @Override
  public void onLost(String leaser, Lease lease) {
    leasers.of(leaser).lost.increment();
  }

  @Override
  public void onReleased(String leaser, Lease lease) {
    leasers.of(leaser).released.increment();
  }

  @Override
  public void onGained(String election, long token) {
    ElectionMeters meters = elections.of(election);
    meters.gained.increment();
    meters.leaders.incrementAndGet();
  }

  @Override
  public void onLost(String election) {
    ElectionMeters meters = elections.of(election);
    meters.lost.increment();
    meters.lostAtNanos = ticker.nanoTime();
    meters.everLost = true;
    // Never below zero: a binder given to a candidate that led already.
    meters.leaders.updateAndGet(leaders -> Math.max(0, leaders - 1));
  }

  @Override
  public void onClaimed(String taskQueue, ClaimedTask task) {
    queues.of(taskQueue).claimed.increment();
  }

  @Override
  public void onReclaimed(String taskQueue, ClaimedTask task, String previousOwner) {
    queues.of(taskQueue).reclaimed.increment();
  }

  @Override
  public void onCompleted(String taskQueue, ClaimedTask task) {
    queues.of(taskQueue).completed.increment();
  }

  @Override
  public void onRetryScheduled(String taskQueue, ClaimedTask task, String error, Duration delay) {
    queues.of(taskQueue).retried.increment();
  }

  @Override
  public void onDead(String taskQueue, String queue, long id, String lastError) {
    queues.of(taskQueue).dead.increment();
  }

  @Override
  public void onStaleClaim(String taskQueue, ClaimedTask task) {
    queues.of(taskQueue).stale.increment();
  }

  /**
   * The health of every election whose candidate has led (an election appears at its first gain):
   * {@link HealthStatus#UP} while the candidate leads, or follows without having lost leadership
   * lately; {@link HealthStatus#DEGRADED} for {@link Builder#lostLeadership} after it lost
   * leadership, unless it leads again (a step-down on close counts as a loss too).
   *
   * @return one per election, by name
   */
  public List<Health> health() {
    List<Health> all = new ArrayList<>();
    long now = ticker.nanoTime();
    for (Map.Entry<String, ElectionMeters> election : elections.all()) {
      ElectionMeters meters = election.getValue();
      boolean leader = meters.leaders.get() > 0;
      long sinceLost = now - meters.lostAtNanos;
      boolean lostLately = !leader && meters.everLost && sinceLost < lostLeaderNanos;
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("leader", leader);
      details.put("gained", (long) meters.gained.count());
      details.put("lost", (long) meters.lost.count());
      if (lostLately) {
        details.put("reason", "lost leadership " + Duration.ofNanos(sinceLost) + " ago");
      }
      all.add(
          new Health(
              "leadership",
              election.getKey(),
              lostLately ? HealthStatus.DEGRADED : HealthStatus.UP,
              details));
    }
    return all;
  }

  @Override
  public String toString() {
    return "LeasingMetrics";
  }

  private static Counter counter(
      Meters meters, String meter, String description, String name, String outcome) {
    return meters.counter(meter, description, name, Meters.OUTCOME, outcome);
  }

  /** The meters of one leaser. */
  private static final class LeaserMeters {
    final Counter acquired;
    final Counter renewed;
    final Counter lost;
    final Counter released;

    LeaserMeters(Meters meters, String name) {
      String leases = "keelson.leasing.leases";
      String description = "Lease events, by outcome";
      acquired = counter(meters, leases, description, name, "acquired");
      renewed = counter(meters, leases, description, name, "renewed");
      lost = counter(meters, leases, description, name, "lost");
      released = counter(meters, leases, description, name, "released");
    }
  }

  /** The meters of one election. */
  private static final class ElectionMeters {
    final Counter gained;
    final Counter lost;
    final AtomicInteger leaders = new AtomicInteger();
    volatile long lostAtNanos;
    volatile boolean everLost;

    ElectionMeters(Meters meters, String name) {
      String leadership = "keelson.leasing.leadership";
      String description = "Leadership gained and lost";
      gained = counter(meters, leadership, description, name, "gained");
      lost = counter(meters, leadership, description, name, "lost");
      meters.gauge(
          "keelson.leasing.leader",
          "Candidates of this election that lead in this JVM",
          null,
          name,
          leaders,
          AtomicInteger::get);
    }
  }

  /** The meters of one task queue. */
  private static final class QueueMeters {
    final Counter claimed;
    final Counter reclaimed;
    final Counter completed;
    final Counter retried;
    final Counter dead;
    final Counter stale;

    QueueMeters(Meters meters, String name) {
      String tasks = "keelson.leasing.tasks";
      String description = "Task events, by outcome";
      claimed = counter(meters, tasks, description, name, "claimed");
      reclaimed = counter(meters, tasks, description, name, "reclaimed");
      completed = counter(meters, tasks, description, name, "completed");
      retried = counter(meters, tasks, description, name, "retried");
      dead = counter(meters, tasks, description, name, "dead");
      stale = counter(meters, tasks, description, name, "stale");
    }
  }

  /** Settings of a {@link LeasingMetrics}. */
  public static final class Builder extends HealthWindowBuilder<Builder, LeasingMetrics> {
    private Duration lostLeadership = Duration.ofMinutes(5);

    private Builder(MeterRegistry registry) {
      super(registry, LeasingMetrics::new);
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * @param window how long an election's health stays {@link HealthStatus#DEGRADED} after its
     *     candidate lost leadership, unless it leads again (default 5 minutes; zero to a day: zero
     *     never degrades)
     * @return this builder
     */
    public Builder lostLeadership(Duration window) {
      this.lostLeadership =
          Checks.between("lostLeadership", window, Duration.ZERO, Duration.ofDays(1));
      return this;
    }
  }
}
