package dev.keelson.outbox;

import dev.keelson.core.internal.Checks;
import dev.keelson.core.internal.Listeners;
import dev.keelson.core.internal.jdbc.PerDialect;
import dev.keelson.core.internal.jdbc.SqlDialect;
import dev.keelson.core.internal.jdbc.Transaction;
import dev.keelson.retry.Backoff;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;

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
 * PostgreSQL notifies a commit ({@code LISTEN}), or after the poll interval at the latest. {@link
 * #close()} finishes the batch in hand, or releases it.
 */
public final class OutboxRelay implements AutoCloseable {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OutboxRelay.class);

  /** Published messages deleted per statement of a purge; as in {@link RelaySql}. */
  static final int PURGE_BATCH = 1000;

  private final DataSource dataSource;
  private final Outbox outbox;
  private final Publisher publisher;
  private final int batchSize;
  private final Duration claimTime;
  private final int maxAttempts;
  private final Backoff backoff;
  private final Duration maxRetryAfter;
  private final boolean deadMessagesBlockTheirKey;
  private final Duration retention;
  private final Duration pollInterval;
  private final boolean listen;
  private final OutboxListener listener;
  private final String relayId = "relay-" + UUID.randomUUID();
  private final AtomicLong rounds = new AtomicLong();
  private final Semaphore wake = new Semaphore(0);
  private final PerDialect<RelaySql> sql;
  private volatile boolean running;
  private @Nullable Thread thread;
  private @Nullable Connection listening;
  private long lastPurgeNanos = System.nanoTime();

  private OutboxRelay(Builder builder) {
    this.dataSource = builder.dataSource;
    this.outbox = builder.outbox;
    this.publisher = builder.publisher;
    this.batchSize = builder.batchSize;
    this.claimTime = builder.claimTime;
    this.maxAttempts = builder.maxAttempts;
    this.backoff = builder.backoff;
    this.maxRetryAfter = builder.maxRetryAfter;
    this.deadMessagesBlockTheirKey = builder.deadMessagesBlockTheirKey;
    this.sql =
        PerDialect.of(dialect -> new RelaySql(dialect, outbox.table(), deadMessagesBlockTheirKey));
    this.retention = builder.retention;
    this.pollInterval = builder.pollInterval;
    this.listen = builder.listen;
    this.listener = builder.listener;
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

  /** One claimed message: its attempts with this one, and the delay before this attempt. */
  private record Claimed(long seq, OutboxMessage message, int attempts, long lastDelayMillis) {}

  /** A claimed message that failed: its error, and its delay until the next attempt. */
  private record Failure(long seq, String error, Duration delay) {}

  /**
   * Runs one round on the caller's thread: claims a batch, publishes it, records the results.
   *
   * @return how many messages the round handled (published or not); 0 if none was claimable
   * @throws IllegalStateException if the database fails (claimed messages are published again after
   *     their claim runs out)
   */
  public int runOnce() {
    long started = System.nanoTime();
    String claimId = relayId + "-" + rounds.incrementAndGet();
    List<Failure> unreadable = new ArrayList<>(0);
    List<Claimed> batch = claim(claimId, unreadable);
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
      record(claimId, batch, results);
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    Listeners.notify(listener, "onBatch", l -> l.onBatch(batch.size(), took));
    return batch.size() + unreadable.size();
  }

  /**
   * Claims a batch in a transaction of its own: one statement on PostgreSQL (no {@code COMMIT}
   * round trip on an auto-commit connection), a select and an update on H2. Rows that are no valid
   * message (written by hand, or by a version that checked less) are claimed too, into {@code
   * unreadable}, to be buried.
   */
  private List<Claimed> claim(String claimId, List<Failure> unreadable) {
    try {
      return Transaction.ownStatement(
          dataSource,
          connection -> {
            RelaySql statements = sql.of(connection);
            return statements.claimsInOneStatement
                ? claimInOneStatement(connection, statements, claimId, unreadable)
                : Transaction.run(
                    connection, tx -> selectAndMark(tx, statements, claimId, unreadable));
          });
    } catch (SQLException e) {
      throw failure("claim messages from", e);
    }
  }

  private List<Claimed> claimInOneStatement(
      Connection connection, RelaySql statements, String claimId, List<Failure> unreadable)
      throws SQLException {
    try (PreparedStatement claim = connection.prepareStatement(statements.claim)) {
      claim.setString(1, claimId);
      claim.setLong(2, claimTime.toMillis());
      claim.setInt(3, batchSize);
      List<Claimed> batch = read(claim, unreadable);
      batch.sort(Comparator.comparingLong(Claimed::seq)); // RETURNING keeps no order
      return batch;
    }
  }

  private List<Claimed> selectAndMark(
      Connection connection, RelaySql statements, String claimId, List<Failure> unreadable)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(statements.claim);
        PreparedStatement mark = connection.prepareStatement(statements.markClaimed)) {
      select.setInt(1, batchSize);
      List<Claimed> batch = read(select, unreadable);
      Long[] selected =
          Stream.concat(batch.stream().map(Claimed::seq), unreadable.stream().map(Failure::seq))
              .toArray(Long[]::new);
      if (selected.length > 0) {
        mark.setString(1, claimId);
        mark.setLong(2, claimTime.toMillis());
        mark.setObject(3, selected);
        mark.executeUpdate();
      }
      return batch;
    }
  }

  /**
   * The claimed rows: seq, id, topic, key, payload, headers, created at, attempts with this one,
   * the last delay in milliseconds. A row that is no valid message goes to {@code unreadable}.
   */
  private static List<Claimed> read(PreparedStatement claim, List<Failure> unreadable)
      throws SQLException {
    List<Claimed> batch = new ArrayList<>();
    try (ResultSet rows = claim.executeQuery()) {
      while (rows.next()) {
        long seq = rows.getLong(1);
        OutboxMessage message;
        try {
          message =
              new OutboxMessage(
                  rows.getObject(2, UUID.class),
                  rows.getString(3),
                  rows.getString(4),
                  rows.getBytes(5),
                  Headers.decode(rows.getString(6)),
                  rows.getObject(7, OffsetDateTime.class).toInstant());
        } catch (IllegalArgumentException invalid) {
          unreadable.add(
              new Failure(
                  seq,
                  ErrorText.storable("not a valid message: " + invalid.getMessage()),
                  Duration.ZERO));
          continue;
        }
        batch.add(new Claimed(seq, message, rows.getInt(8), rows.getLong(9)));
      }
    }
    return batch;
  }

  /**
   * Buries rows that are no valid message, in a transaction of their own: no publisher could send
   * them, and a row claimed again and again would hold up its key and its batch for good. If that
   * fails, the rest of the batch is still published; the rows are buried when claimed again.
   */
  private void buryUnreadable(String claimId, List<Failure> unreadable) {
    for (Failure row : unreadable) {
      log.warn("outbox {}: message seq {} is dead: {}", outbox.table(), row.seq(), row.error());
    }
    try {
      Transaction.ownStatement(
          dataSource, connection -> bury(connection, sql.of(connection), claimId, unreadable));
    } catch (SQLException e) {
      log.warn(
          "cannot bury {} unreadable messages; they are claimed again once their claims run out: {}",
          unreadable.size(),
          e.toString());
    }
  }

  private static Long[] sequenceNumbers(List<Claimed> claims) {
    return claims.stream().map(Claimed::seq).toArray(Long[]::new);
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
   * Records each message's result, fenced by the claim (a claim that ran out and was taken over
   * changes nothing): delivered messages go in one statement, retries and dead letters in a batch
   * each. Each of the three stands on its own, committed by itself (on an auto-commit connection
   * with no {@code COMMIT} round trip), so that one that fails cannot undo another: the deliveries
   * stay recorded whatever becomes of the retries. Results that are not recorded are published
   * again once their claims run out.
   */
  private void record(String claimId, List<Claimed> batch, List<PublishResult> results) {
    List<Claimed> delivered = new ArrayList<>(batch.size());
    List<Failure> retried = new ArrayList<>();
    List<Failure> buried = new ArrayList<>();
    // Told once their results are recorded.
    List<Runnable> published = new ArrayList<>(batch.size());
    List<Runnable> retries = new ArrayList<>();
    List<Runnable> deaths = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Claimed claimed = batch.get(i);
      PublishResult result = results.get(i);
      OutboxMessage message = claimed.message();
      int attempts = claimed.attempts();
      if (result instanceof PublishResult.Delivered) {
        delivered.add(claimed);
        Duration sinceCreated = Duration.between(message.createdAt(), Instant.now());
        published.add(
            () ->
                Listeners.notify(
                    listener, "onPublished", l -> l.onPublished(message, attempts, sinceCreated)));
      } else if (result instanceof PublishResult.Retry failed && attempts < maxAttempts) {
        Duration delay = delay(failed, claimed);
        String error = ErrorText.storable(failed.error());
        retried.add(new Failure(claimed.seq(), error, delay));
        retries.add(
            () ->
                Listeners.notify(
                    listener,
                    "onRetryScheduled",
                    l -> l.onRetryScheduled(message, attempts, error, delay)));
      } else {
        String error =
            result instanceof PublishResult.Retry failed
                ? ErrorText.storable(failed.error()) + " (after " + attempts + " attempts)"
                : ErrorText.storable(((PublishResult.Reject) result).error());
        buried.add(new Failure(claimed.seq(), error, Duration.ZERO));
        deaths.add(
            () -> Listeners.notify(listener, "onDead", l -> l.onDead(message, attempts, error)));
      }
    }
    SQLException failed = null;
    try (Connection connection = dataSource.getConnection()) {
      RelaySql statements = sql.of(connection);
      failed =
          recordApart(
              connection,
              delivered,
              c -> markDelivered(c, statements, claimId, delivered),
              published,
              failed);
      failed =
          recordApart(
              connection,
              retried,
              c -> scheduleRetries(c, statements, claimId, retried),
              retries,
              failed);
      failed =
          recordApart(
              connection, buried, c -> bury(c, statements, claimId, buried), deaths, failed);
    } catch (SQLException e) {
      failed = firstOf(failed, e);
    }
    if (failed != null) {
      throw failure("record the results in", failed);
    }
  }

  /**
   * Records one kind of result in a transaction of its own on the connection (one statement: on an
   * auto-commit connection it commits by itself), then tells its events.
   *
   * @return the first failure so far
   */
  private static @Nullable SQLException recordApart(
      Connection connection,
      List<?> results,
      Transaction.Work<?> write,
      List<Runnable> events,
      @Nullable SQLException failed) {
    if (results.isEmpty()) {
      return failed;
    }
    try {
      if (connection.getAutoCommit()) {
        write.run(connection);
      } else {
        Transaction.run(connection, write);
      }
    } catch (SQLException e) {
      return firstOf(failed, e);
    }
    events.forEach(Runnable::run);
    return failed;
  }

  private static SQLException firstOf(@Nullable SQLException first, SQLException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  private int markDelivered(
      Connection connection, RelaySql statements, String claimId, List<Claimed> delivered)
      throws SQLException {
    try (PreparedStatement published =
        connection.prepareStatement(
            retention.isZero() ? statements.delete : statements.markPublished)) {
      published.setObject(1, sequenceNumbers(delivered));
      published.setString(2, claimId);
      return published.executeUpdate();
    }
  }

  private static int scheduleRetries(
      Connection connection, RelaySql statements, String claimId, List<Failure> retried)
      throws SQLException {
    try (PreparedStatement retry = connection.prepareStatement(statements.retry)) {
      for (Failure failure : retried) {
        long delayMillis = failure.delay().toMillis();
        retry.setLong(1, delayMillis);
        retry.setLong(2, delayMillis);
        retry.setString(3, failure.error());
        retry.setLong(4, failure.seq());
        retry.setString(5, claimId);
        retry.addBatch();
      }
      retry.executeBatch();
      return retried.size();
    }
  }

  private static int bury(
      Connection connection, RelaySql statements, String claimId, List<Failure> buried)
      throws SQLException {
    try (PreparedStatement bury = connection.prepareStatement(statements.bury)) {
      for (Failure failure : buried) {
        bury.setString(1, failure.error());
        bury.setLong(2, failure.seq());
        bury.setString(3, claimId);
        bury.addBatch();
      }
      bury.executeBatch();
      return buried.size();
    }
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
   * Gives this relay's claims back at once, so other relays need not wait for them to run out; in a
   * transaction of its own.
   */
  private void release(String claimPattern) {
    try {
      Transaction.ownStatement(
          dataSource,
          connection -> {
            try (PreparedStatement release =
                connection.prepareStatement(sql.of(connection).release)) {
              release.setString(1, claimPattern);
              return release.executeUpdate();
            }
          });
    } catch (SQLException e) {
      log.warn(
          "cannot release claims {}; they run out by themselves: {}", claimPattern, e.toString());
    }
  }

  /**
   * Reads the figures in one statement, in a transaction of its own.
   *
   * @return the backlog, its lag and the dead letters, by the database's clock
   */
  public Backlog backlog() {
    try {
      return Transaction.ownStatement(dataSource, this::readBacklog);
    } catch (SQLException e) {
      throw failure("read the backlog of", e);
    }
  }

  private Backlog readBacklog(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql.of(connection).backlog)) {
      row.next();
      OffsetDateTime oldest = row.getObject(2, OffsetDateTime.class);
      OffsetDateTime now = row.getObject(4, OffsetDateTime.class);
      return new Backlog(
          row.getLong(1),
          oldest == null ? Duration.ZERO : Duration.between(oldest, now),
          row.getLong(3));
    }
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
    try {
      return Transaction.ownStatement(
          dataSource,
          connection -> {
            RelaySql statements = sql.of(connection);
            try (PreparedStatement replay =
                connection.prepareStatement(
                    key == null ? statements.replayDead : statements.replayDeadOfKey)) {
              if (key != null) {
                replay.setString(1, key);
              }
              return replay.executeUpdate();
            }
          });
    } catch (SQLException e) {
      throw failure("replay the dead letters of", e);
    }
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
    if (retention.isZero()) {
      return 0;
    }
    long purged = 0;
    try {
      int deleted;
      do {
        deleted = Transaction.ownStatement(dataSource, this::purgeBatch);
        purged += deleted;
      } while (deleted == PURGE_BATCH);
      return purged;
    } catch (SQLException e) {
      throw failure("purge published messages from", e);
    }
  }

  private int purgeBatch(Connection connection) throws SQLException {
    try (PreparedStatement purge = connection.prepareStatement(sql.of(connection).purgePublished)) {
      purge.setLong(1, retention.toMillis());
      return purge.executeUpdate();
    }
  }

  /**
   * Starts relaying on a thread of its own; again after {@link #close()}, or after an error of the
   * virtual machine stopped the loop (reported to {@link OutboxListener#onRelayError}).
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
   * Runs rounds until closed. Whatever a round throws is reported ({@code onRelayError}) and the
   * loop goes on after a pause, but for an error of the virtual machine (out of memory): that ends
   * the loop, reported, its claims given back, and the relay can be started again.
   */
  private void loop() {
    try {
      while (running) {
        try {
          int handled = runOnce();
          if (System.nanoTime() - lastPurgeNanos > TimeUnit.MINUTES.toNanos(1)) {
            lastPurgeNanos = System.nanoTime();
            purgePublished();
          }
          if (handled < batchSize) {
            awaitWork();
          }
        } catch (VirtualMachineError e) {
          // Stopped before it is told, so that the listener may start the relay again at once.
          closeListening();
          release(relayId + "-%");
          leave();
          log.error(
              "outbox relay stopped by {}; start() it again when the cause is gone", e.toString());
          report(e);
          throw e;
        } catch (Throwable e) { // a database's failure, or a bug (an Error) in a part of the round
          report(e);
          log.warn("outbox relay round failed; trying again in {}: {}", pollInterval, e.toString());
          pause(pollInterval);
        }
      }
    } finally {
      if (leave()) {
        closeListening();
      }
    }
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
    Listeners.notify(listener, "onRelayError", l -> l.onRelayError(error));
  }

  /** Waits for a commit notification, or the poll interval. */
  private void awaitWork() {
    if (!listen) {
      pause(pollInterval);
      return;
    }
    try {
      Connection connection = listening();
      if (connection == null) {
        pause(pollInterval);
        return;
      }
      // In slices, so that close() is heard within a quarter of a second.
      PGConnection postgres = connection.unwrap(PGConnection.class);
      long until = System.nanoTime() + pollInterval.toNanos();
      long left;
      while (running && (left = until - System.nanoTime()) > 0) {
        int slice = (int) Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 250));
        org.postgresql.PGNotification[] notifications = postgres.getNotifications(slice);
        if (notifications != null && notifications.length > 0) {
          return;
        }
      }
    } catch (SQLException e) {
      log.debug("LISTEN connection lost; polling until it is back: {}", e.toString());
      closeListening();
      pause(pollInterval);
    }
  }

  /**
   * The connection that listens on the outbox's channel; null when the database is not PostgreSQL.
   */
  private @Nullable Connection listening() throws SQLException {
    if (listening == null) {
      Connection connection = dataSource.getConnection();
      try {
        if (SqlDialect.of(connection) != SqlDialect.POSTGRESQL) {
          connection.close();
          return null;
        }
        // LISTEN takes effect at commit: in a transaction of its own, whatever the pool's mode.
        Transaction.run(connection, this::subscribe);
      } catch (SQLException | RuntimeException e) {
        connection.close();
        throw e;
      }
      listening = connection;
    }
    return listening;
  }

  private boolean subscribe(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      return statement.execute("LISTEN " + outbox.channel());
    }
  }

  private void closeListening() {
    if (listening != null) {
      try {
        listening.close();
      } catch (SQLException e) {
        log.debug("closing the LISTEN connection: {}", e.toString());
      }
      listening = null;
    }
  }

  private void pause(Duration duration) {
    try {
      if (wake.tryAcquire(duration.toNanos(), TimeUnit.NANOSECONDS)) {
        wake.drainPermits();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
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
    wake.release();
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

  private IllegalStateException failure(String what, SQLException e) {
    return new IllegalStateException(
        "cannot " + what + " the outbox " + outbox.table() + ": " + e.getMessage(), e);
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
    private OutboxListener listener = OutboxListener.NONE;

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
     * @param listen whether to wake on PostgreSQL {@code NOTIFY} at commit (default true; H2 always
     *     polls)
     * @return this builder
     */
    public Builder listen(boolean listen) {
      this.listen = listen;
      return this;
    }

    /**
     * @param listener hears publishes, retries, dead letters, batches and errors; if it throws, the
     *     exception is logged and changes nothing (see {@link OutboxListener})
     * @return this builder
     */
    public Builder listener(OutboxListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public OutboxRelay build() {
      return new OutboxRelay(this);
    }
  }
}
