package dev.keelson.outbox;

import dev.keelson.core.BackendException;
import dev.keelson.core.internal.Checks;
import dev.keelson.core.internal.Listeners;
import dev.keelson.core.internal.Names;
import dev.keelson.outbox.RelayStore.Claimed;
import dev.keelson.outbox.RelayStore.Failure;
import dev.keelson.retry.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * Publishes every committed outbox message, in order per key. Each round claims a batch of pending
 * messages with {@code FOR UPDATE SKIP LOCKED} (so relays side by side never take the same
 * message), publishes it and records each result, fenced by the claim. A message is claimed only
 * when no earlier message of its key is unpublished, so no message overtakes an earlier one of its
 * key, across every relay. A claim is a lease: a relay that dies mid-batch loses nothing, its
 * claims run out and its messages are published again (at least once; consumers drop redeliveries
 * by message id, see {@link Inbox}).
 *
 * <p>Each database operation commits before it returns, whatever the auto-commit mode of the data
 * source's connections (Hikari's {@code autoCommit=false} included): the claim, {@link #backlog},
 * {@link #replayDead}, {@link #purgePublished} and the release of a batch run in transactions of
 * their own; the recording of a batch's results too, in one transaction per kind of result
 * (delivered, retried, dead), so that a failure of one cannot undo another. The {@code LISTEN}
 * connection commits its {@code LISTEN}, which PostgreSQL applies only at commit. A publish is
 * bounded by the claim, from the round's start: the publisher is given until eight tenths of the
 * claim time to answer ({@link Publisher#publish(List, Duration)}, with what it delivered and
 * retries for the rest), and the relay waits until nine tenths; past that, it cancels the
 * publisher's future and counts a failed attempt for each message of the batch (retried after the
 * backoff; dead after {@code maxAttempts}).
 *
 * <p>Failed publishes are retried after the backoff (or the receiver's {@code Retry-After}, at most
 * {@link Builder#maxRetryAfter}) while later messages of the key wait; after {@code maxAttempts}
 * the message goes to the dead letters with its last error, and its key stays blocked (default)
 * until the dead letter is replayed, or moves on ({@link Builder#skipDeadMessages()}). Other keys
 * never wait for a failing key.
 *
 * <p>{@link #start()} runs rounds on a thread of its own: at once after a full batch, else when
 * PostgreSQL notifies a commit ({@code LISTEN}), or after the poll interval at the latest. Where
 * the connections do not unwrap to the PostgreSQL driver's {@code PGConnection} (a pool that cannot
 * unwrap; on the module path, a driver that is not a module this one reads), the relay says so once
 * in the log and polls. {@link #close()} finishes the batch in hand, or releases it.
 */
public final class OutboxRelay implements AutoCloseable {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OutboxRelay.class);

  private final String name;
  private final Publisher publisher;
  private final int batchSize;
  private final Duration claimTime;
  private final int maxAttempts;
  private final Backoff backoff;
  private final Duration maxRetryAfter;
  private final Duration pollInterval;
  private final OutboxListener listener;
  private final Duration backlogInterval;
  private final RelayStore store;
  private final boolean holdsRows;
  private final CommitWaiter waiter;
  private final String relayId = "relay-" + UUID.randomUUID();
  private final AtomicLong rounds = new AtomicLong();
  private volatile boolean running;
  private @Nullable Thread thread;
  private final Chore purge = new Chore(Duration.ofMinutes(1));

  /** Null when there are no samples: no listener, or a backlog interval of zero. */
  private final @Nullable Chore backlogSample;

  private OutboxRelay(Builder builder) {
    this.name = builder.name == null ? builder.outbox.table() : builder.name;
    this.publisher = builder.publisher;
    this.batchSize = builder.batchSize;
    this.claimTime = builder.claimTime;
    this.maxAttempts = builder.maxAttempts;
    this.backoff = builder.backoff;
    this.maxRetryAfter = builder.maxRetryAfter;
    this.pollInterval = builder.pollInterval;
    this.listener = builder.listener;
    this.holdsRows = builder.holdRowsWhilePublishing;
    this.backlogInterval = builder.backlogInterval;
    this.backlogSample =
        listener == OutboxListener.NONE || backlogInterval.isZero()
            ? null
            : new Chore(backlogInterval);
    this.store =
        new RelayStore(
            builder.dataSource,
            builder.outbox.table(),
            builder.deadMessagesBlockTheirKey,
            builder.batchSize,
            builder.claimTime,
            builder.retention);
    this.waiter =
        new CommitWaiter(
            builder.dataSource, builder.outbox.channel(), builder.pollInterval, builder.listen);
  }

  /**
   * @param dataSource the database the outbox lives in
   * @param outbox the outbox (its table)
   * @param publisher where messages go
   * @return a builder
   */
  public static Builder builder(DataSource dataSource, Outbox outbox, Publisher publisher) {
    return new Builder(dataSource, outbox, publisher);
  }

  /**
   * @return the relay's name, as its listener's events carry it (default: the outbox's table)
   */
  public String name() {
    return name;
  }

  /**
   * Runs one round on the caller's thread: claims a batch, publishes it, records the results.
   *
   * @return how many messages the round handled (published or not); 0 if none was claimable
   * @throws BackendException if the database fails (claimed messages are published again after
   *     their claim runs out)
   */
  public int runOnce() {
    long started = System.nanoTime();
    List<Failure> unreadable = new ArrayList<>(0);
    int handled = holdsRows ? heldRound(started, unreadable) : leasedRound(started, unreadable);
    if (handled > unreadable.size() && listener != OutboxListener.NONE) {
      int size = handled - unreadable.size();
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      Listeners.notify(listener, "onBatch", l -> l.onBatch(name, size, took));
    }
    return handled;
  }

  /** A round whose claim is a lease written to the rows: claim, publish, record. */
  private int leasedRound(long started, List<Failure> unreadable) {
    String claimId = relayId + "-" + rounds.incrementAndGet();
    List<Claimed> batch = store.claim(claimId, unreadable);
    if (!unreadable.isEmpty()) {
      buryUnreadable(claimId, unreadable);
    }
    if (batch.isEmpty()) {
      return unreadable.size();
    }
    List<PublishResult> results = publish(batch, started);
    if (results == null) {
      release(claimId);
    } else {
      BatchOutcome outcome = sort(batch, results);
      try {
        store.record(claimId, outcome);
      } finally {
        outcome.tellRecorded(); // the store's connection is back in the pool by now
      }
    }
    return batch.size() + unreadable.size();
  }

  /** A round that holds its rows locked while it publishes, in one transaction. */
  private int heldRound(long started, List<Failure> unreadable) {
    RelayStore.HeldRound round =
        store.holdPublishAndRecord(
            unreadable,
            batch -> {
              List<PublishResult> results = publish(batch, started);
              return results == null ? null : sort(batch, results);
            });
    logUnreadable(unreadable); // buried in the round's own transaction
    BatchOutcome outcome = round.outcome();
    if (outcome != null) {
      outcome.tellRecorded(); // committed, and the connection is back in the pool
    }
    return round.handled();
  }

  private void logUnreadable(List<Failure> unreadable) {
    for (Failure row : unreadable) {
      log.warn("outbox relay {}: message seq {} is dead: {}", name, row.seq(), row.error());
    }
  }

  /**
   * Buries rows that are no valid message: no publisher could send them, and a row claimed again
   * and again would hold up its key and its batch for good. If that fails, the rest of the batch is
   * still published; the rows are buried when claimed again.
   */
  private void buryUnreadable(String claimId, List<Failure> unreadable) {
    logUnreadable(unreadable);
    try {
      store.bury(claimId, unreadable);
    } catch (BackendException e) {
      log.warn(
          "cannot bury {} unreadable messages; they are claimed again once their claims run out: {}",
          unreadable.size(),
          e.getMessage());
    }
  }

  /** The error of each message of a batch whose publisher did not answer before the deadline. */
  static final String LATE = "the publisher did not answer within nine tenths of the claim time";

  /**
   * The results; retries for every message if the publisher failed, answered wrongly or did not
   * answer before the claim's local deadline (then what it started is cancelled); null if the
   * relay's thread was interrupted (closing), when the batch is to be given back.
   */
  private @Nullable List<PublishResult> publish(List<Claimed> batch, long startedNanos) {
    List<OutboxMessage> messages = batch.stream().map(Claimed::message).toList();
    long claimNanos = claimTime.toNanos();
    // The publisher answers by eight tenths, so that its answer is in by nine tenths, and
    // recorded before the claim runs out.
    Duration timeLeft =
        Duration.ofNanos(Math.max(0, startedNanos + claimNanos * 8 / 10 - System.nanoTime()));
    long deadlineNanos = startedNanos + claimNanos * 9 / 10;
    CompletableFuture<List<PublishResult>> publishing;
    try {
      publishing =
          Objects.requireNonNull(
                  publisher.publish(messages, timeLeft), "the publisher returned no future")
              .toCompletableFuture();
    } catch (VirtualMachineError e) {
      throw e; // the claims run out, and the batch is published again
    } catch (Throwable e) {
      // A publisher's bug, a NoClassDefFoundError of its client too: tried again, then dead.
      return retryAll(batch, "the publisher threw " + e);
    }
    try {
      List<PublishResult> results =
          publishing.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
      String wrong = wrongResults(results, batch.size());
      return wrong == null ? results : retryAll(batch, wrong);
    } catch (TimeoutException e) {
      publishing.cancel(true);
      // A failed attempt like any other: the backoff spaces the next, maxAttempts ends them.
      return retryAll(batch, LATE);
    } catch (ExecutionException | CancellationException e) {
      return retryAll(batch, String.valueOf(e instanceof ExecutionException ? e.getCause() : e));
    } catch (InterruptedException e) {
      publishing.cancel(true);
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** What is wrong with a publisher's answer, or null if it has one result per message. */
  private static @Nullable String wrongResults(@Nullable List<PublishResult> results, int size) {
    if (results == null || results.size() != size) {
      return "the publisher answered "
          + (results == null ? "no list" : results.size() + " results")
          + " for "
          + size
          + " messages";
    }
    for (PublishResult result : results) {
      if (result == null) {
        return "the publisher answered a null result";
      }
    }
    return null;
  }

  private static List<PublishResult> retryAll(List<Claimed> batch, String error) {
    log.warn("publishing {} messages failed; each will be retried: {}", batch.size(), error);
    return batch.stream().map(c -> PublishResult.retry(error, null)).toList();
  }

  /**
   * What each result means for its message: delivered; retried after its delay while it has
   * attempts left; else dead, with its error. Each with its event, if anyone listens.
   */
  private BatchOutcome sort(List<Claimed> batch, List<PublishResult> results) {
    BatchOutcome outcome = new BatchOutcome(batch.size());
    boolean told = listener != OutboxListener.NONE;
    for (int i = 0; i < batch.size(); i++) {
      Claimed claimed = batch.get(i);
      PublishResult result = results.get(i);
      OutboxMessage message = claimed.message();
      int attempts = claimed.attempts();
      if (result instanceof PublishResult.Delivered) {
        outcome.delivered(claimed, told ? published(message, attempts) : null);
      } else if (result instanceof PublishResult.Retry failed && attempts < maxAttempts) {
        Duration delay = delay(failed, claimed);
        String error = ErrorText.storable(failed.error());
        outcome.retried(
            new Failure(claimed.seq(), error, delay),
            told
                ? () ->
                    Listeners.notify(
                        listener,
                        "onRetryScheduled",
                        l -> l.onRetryScheduled(name, message, attempts, error, delay))
                : null);
      } else {
        String error =
            result instanceof PublishResult.Retry failed
                ? ErrorText.storable(failed.error()) + " (after " + attempts + " attempts)"
                : ErrorText.storable(((PublishResult.Reject) result).error());
        outcome.buried(
            new Failure(claimed.seq(), error, Duration.ZERO),
            told
                ? () ->
                    Listeners.notify(
                        listener, "onDead", l -> l.onDead(name, message, attempts, error))
                : null);
      }
    }
    return outcome;
  }

  /** The event of a delivery, timed now (when the publisher answered), told once recorded. */
  private Runnable published(OutboxMessage message, int attempts) {
    Duration sinceCreated = Duration.between(message.createdAt(), Instant.now());
    return () ->
        Listeners.notify(
            listener, "onPublished", l -> l.onPublished(name, message, attempts, sinceCreated));
  }

  /**
   * The longest wait before a retry: a backoff's delay is cut to it, so that the due time is one
   * every database can compute (H2 cannot add 292 years of milliseconds to a timestamp).
   */
  static final Duration MAX_DELAY = Duration.ofDays(365);

  /**
   * The receiver's hint, at most {@link Builder#maxRetryAfter}, or else the backoff's delay after
   * the message's previous one, at most {@link #MAX_DELAY}; never negative.
   */
  private Duration delay(PublishResult.Retry failed, Claimed claimed) {
    Duration hint = failed.retryAfter();
    if (hint != null) {
      return hint.isNegative() ? Duration.ZERO : min(hint, maxRetryAfter);
    }
    long previous = TimeUnit.MILLISECONDS.toNanos(claimed.lastDelayMillis()); // saturates
    long next = backoff.delayNanos(claimed.attempts(), previous, ThreadLocalRandom.current());
    return Duration.ofNanos(Math.max(0, Math.min(next, MAX_DELAY.toNanos())));
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /**
   * Gives this relay's claims back at once, so other relays need not wait for them to run out; if
   * that fails, they run out by themselves.
   */
  private void release(String claimPattern) {
    try {
      store.release(claimPattern);
    } catch (BackendException e) {
      log.warn("{}; they run out by themselves", e.getMessage());
    }
  }

  /**
   * Reads the figures in one statement, in a transaction of its own.
   *
   * @return the backlog, its lag and the dead letters, by the database's clock
   */
  public Backlog backlog() {
    return store.backlog();
  }

  /**
   * Moves dead letters back to pending, with their attempts reset, after the cause is fixed; in a
   * transaction of its own (committed when this returns).
   *
   * @param key only this key's dead letters, or null for all
   * @return how many were moved
   * @throws IllegalArgumentException if the key is no key a message can have
   */
  public int replayDead(@Nullable String key) {
    if (key != null) {
      OutboxMessage.checkKey("key", key);
    }
    return store.replayDead(key);
  }

  /**
   * Deletes published messages older than the retention, in batches of 1,000, each in a transaction
   * of its own (committed as it goes, so a long purge holds no long transaction); the loop does it
   * every minute. Nothing to do when the retention is zero (published messages are deleted at
   * once).
   *
   * @return how many were deleted
   */
  public long purgePublished() {
    return store.purgePublished();
  }

  /**
   * Starts relaying on a thread of its own; again after {@link #close()}, or after an error of the
   * virtual machine stopped the loop (reported to {@link OutboxListener#onRelayError}). Never
   * touches the database: a relay that cannot {@code LISTEN} polls.
   *
   * @throws IllegalStateException if it is running
   */
  public synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("the relay is already started");
    }
    running = true;
    Thread loop = new Thread(this::loop, "keelson-outbox-" + relayId);
    loop.setDaemon(true);
    thread = loop;
    loop.start();
  }

  /**
   * Runs rounds until closed or interrupted, with the chores: the purge every minute, the backlog
   * sample every {@code backlogInterval} and after the first round. Whatever a round throws is
   * reported ({@code onRelayError}) and the loop goes on after a pause, but for an error of the
   * virtual machine (out of memory): that ends the loop, reported, its claims given back, and the
   * relay can be started again.
   */
  private void loop() {
    if (backlogSample != null) {
      backlogSample.dueNow(); // so that gauges fill at once
    }
    try {
      while (running && !Thread.currentThread().isInterrupted()) {
        try {
          int handled = runOnce();
          if (purge.due()) {
            purgePublished();
          }
          if (backlogSample != null && backlogSample.due()) {
            sampleBacklog();
          }
          if (handled < batchSize) {
            waiter.awaitCommit();
          }
        } catch (VirtualMachineError e) {
          // Stopped before it is told, so that the listener may start the relay again at once.
          waiter.close();
          release(relayId + "-%");
          leave();
          log.error(
              "outbox relay {} stopped by {}; start() it again when the cause is gone",
              name,
              e.toString());
          report(e);
          throw e;
        } catch (Throwable e) { // a database's failure, or a bug (an Error) in a part of the round
          report(e);
          log.warn(
              "outbox relay {} round failed; trying again in {}: {}",
              name,
              pollInterval,
              e.toString());
          waiter.pause(pollInterval);
        }
      }
    } finally {
      if (leave()) {
        waiter.close();
      }
    }
  }

  /** Tells the listener the backlog; one that cannot be read is logged, and the round goes on. */
  private void sampleBacklog() {
    Backlog backlog;
    try {
      backlog = store.backlog();
    } catch (BackendException e) {
      log.warn(
          "outbox relay {}: cannot sample the backlog; trying again in {}: {}",
          name,
          backlogInterval,
          e.getMessage());
      return;
    }
    Listeners.notify(listener, "onBacklog", l -> l.onBacklog(name, backlog));
  }

  /** Marks the relay stopped if this thread still runs its loop; whether it did. */
  private synchronized boolean leave() {
    if (thread != Thread.currentThread()) {
      return false;
    }
    thread = null;
    running = false;
    return true;
  }

  private void report(Throwable e) {
    Exception error =
        e instanceof Exception exception
            ? exception
            : new IllegalStateException("an outbox relay round threw " + e, e);
    Listeners.notify(listener, "onRelayError", l -> l.onRelayError(name, error));
  }

  /**
   * Stops the loop: the batch in hand is finished (published and recorded) if that takes less than
   * the claim time; otherwise the thread is interrupted and the relay's claims are released.
   */
  @Override
  public void close() {
    Thread loop;
    synchronized (this) {
      loop = thread;
      running = false;
    }
    if (loop == null) {
      return;
    }
    waiter.wake();
    try {
      loop.join(claimTime.plus(pollInterval).toMillis());
      if (loop.isAlive()) {
        loop.interrupt();
        loop.join(pollInterval.toMillis());
        release(relayId + "-%");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      release(relayId + "-%");
    }
  }

  /** Settings of an {@link OutboxRelay}. */
  public static final class Builder {
    private final DataSource dataSource;
    private final Outbox outbox;
    private final Publisher publisher;
    private int batchSize = 100;
    private Duration claimTime = Duration.ofSeconds(30);
    private int maxAttempts = 10;
    private Backoff backoff = Backoff.fullJitter(Duration.ofSeconds(1), Duration.ofMinutes(5));
    private Duration maxRetryAfter = Duration.ofSeconds(60);
    private boolean deadMessagesBlockTheirKey = true;
    private Duration retention = Duration.ZERO;
    private Duration pollInterval = Duration.ofSeconds(1);
    private boolean listen = true;
    private boolean holdRowsWhilePublishing;
    private OutboxListener listener = OutboxListener.NONE;
    private Duration backlogInterval = Duration.ofSeconds(10);
    private @Nullable String name;

    private Builder(DataSource dataSource, Outbox outbox, Publisher publisher) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      this.outbox = Objects.requireNonNull(outbox, "outbox");
      this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    /**
     * @param batchSize messages per round, 1 to 10,000 (default 100)
     * @return this builder
     */
    public Builder batchSize(int batchSize) {
      this.batchSize = Checks.between("batchSize", batchSize, 1, 10_000);
      return this;
    }

    /**
     * @param claimTime how long a batch may take to publish before other relays may take it over:
     *     longer than the publisher's slowest batch (default 30 s; 100 ms to 1 hour)
     * @return this builder
     */
    public Builder claimTime(Duration claimTime) {
      this.claimTime =
          Checks.between("claimTime", claimTime, Duration.ofMillis(100), Duration.ofHours(1));
      return this;
    }

    /**
     * @param maxAttempts publishes a message gets before it is dead, 1 to 1000 (default 10)
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = Checks.between("maxAttempts", maxAttempts, 1, 1000);
      return this;
    }

    /**
     * @param backoff the wait before a failed message is tried again (default full jitter, 1 s
     *     base, 5 min cap), given the message's previous delay; a longer delay than 365 days is cut
     *     to 365 days; a receiver's {@code Retry-After} wins, up to {@link #maxRetryAfter}
     * @return this builder
     */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /**
     * @param longest the longest receiver's hint ({@code Retry-After}, {@link PublishResult#retry})
     *     the relay follows: a message whose hint is longer is retried after this (default 60 s, as
     *     {@code Retry}'s {@code maxRetryAfter}; zero to 24 hours)
     * @return this builder
     */
    public Builder maxRetryAfter(Duration longest) {
      this.maxRetryAfter =
          Checks.between("maxRetryAfter", longest, Duration.ZERO, Duration.ofHours(24));
      return this;
    }

    /**
     * Lets a key move on past its dead messages (default: a dead message blocks its key's later
     * messages until it is replayed, so their order is never broken).
     *
     * @return this builder
     */
    public Builder skipDeadMessages() {
      this.deadMessagesBlockTheirKey = false;
      return this;
    }

    /**
     * @param retention how long published messages are kept (default zero: deleted at once; at most
     *     365 days)
     * @return this builder
     */
    public Builder retention(Duration retention) {
      this.retention = Checks.between("retention", retention, Duration.ZERO, Duration.ofDays(365));
      return this;
    }

    /**
     * @param pollInterval the longest wait between rounds when idle (default 1 s; 10 ms to 1
     *     minute)
     * @return this builder
     */
    public Builder pollInterval(Duration pollInterval) {
      this.pollInterval =
          Checks.between(
              "pollInterval", pollInterval, Duration.ofMillis(10), Duration.ofMinutes(1));
      return this;
    }

    /**
     * @param interval how often the started relay reads its backlog for {@link
     *     OutboxListener#onBacklog} (also once right after it starts; {@link OutboxRelay#runOnce()}
     *     never does): default 10 s; 100 ms to 1 hour, or zero for never. Only with a listener.
     * @return this builder
     */
    public Builder backlogInterval(Duration interval) {
      Objects.requireNonNull(interval, "backlogInterval");
      this.backlogInterval =
          interval.isZero()
              ? interval
              : Checks.between(
                  "backlogInterval", interval, Duration.ofMillis(100), Duration.ofHours(1));
      return this;
    }

    /**
     * @param listen whether to wake on PostgreSQL {@code NOTIFY} at commit (default true; H2 always
     *     polls)
     * @return this builder
     */
    public Builder listen(boolean listen) {
      this.listen = listen;
      return this;
    }

    /**
     * Claims each batch by locking its rows in a transaction held while it publishes, instead of a
     * lease written to them (the default): each row is then written once, by its result, and a
     * round is one transaction instead of two: in the project's benchmark on PostgreSQL, about 1.4
     * times the throughput (47 % of a bare batched delete, against 32 % with leases). Relays side
     * by side skip the locked rows, and the order check holds a key's later messages back, as with
     * leases. What it costs: the relay holds a connection, and its rows' locks, for the whole
     * publish (bounded by the claim time: the publisher answers by eight tenths of it, and
     * PostgreSQL ends a session idle in its transaction longer than the claim time); an attempt
     * counts when its result is recorded, so a publish that kills the relay's process counts no
     * attempt, and such a message is tried again without end (with leases it would reach {@code
     * maxAttempts} and the dead letters); the open transaction also holds back vacuum while it
     * lasts. Relays of both kinds may share an outbox (a held round clears a lease that ran out
     * before it locked the row). On H2, which skips locked rows only after its limit, held relays
     * take turns.
     *
     * @return this builder
     */
    public Builder holdRowsWhilePublishing() {
      this.holdRowsWhilePublishing = true;
      return this;
    }

    /**
     * @param name what the listener's events and the logs call this relay: 1 to 64 characters of
     *     well-formed text (default: the outbox's table)
     * @return this builder
     */
    public Builder name(String name) {
      this.name = Names.check(name);
      return this;
    }

    /**
     * @param listener hears publishes, retries, dead letters, batches, errors and backlog samples
     *     ({@link #backlogInterval}); if it throws, the exception is logged and changes nothing
     *     (see {@link OutboxListener})
     * @return this builder
     */
    public Builder listener(OutboxListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * @return the relay, not started
     */
    public OutboxRelay build() {
      return new OutboxRelay(this);
    }
  }
}
