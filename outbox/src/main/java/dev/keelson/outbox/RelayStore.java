package dev.keelson.outbox;

import dev.keelson.core.BackendException;
import dev.keelson.core.internal.jdbc.PerDialect;
import dev.keelson.core.internal.jdbc.Sql;
import dev.keelson.core.internal.jdbc.Transaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every statement a relay runs against the outbox table: claiming a batch, recording its results
 * (published, retried, dead), releasing claims, and the backlog, replay and purge. Each method is a
 * transaction of its own, committed before it returns whatever the auto-commit mode of the data
 * source's connections. A failure of the database is a {@link BackendException} naming the table,
 * with the {@link SQLException} as its cause.
 */
final class RelayStore {

  private static final Logger log = LoggerFactory.getLogger(RelayStore.class);

  /** Published messages deleted per statement of a purge. */
  static final int PURGE_BATCH = 1000;

  private final DataSource dataSource;
  private final String table;
  private final PerDialect<RelaySql> sql;
  private final int batchSize;
  private final long claimMillis;
  private final Duration retention;

  RelayStore(
      DataSource dataSource,
      String table,
      boolean deadMessagesBlockTheirKey,
      int batchSize,
      Duration claimTime,
      Duration retention) {
    this.dataSource = dataSource;
    this.table = table;
    this.sql = PerDialect.of(dialect -> new RelaySql(dialect, table, deadMessagesBlockTheirKey));
    this.batchSize = batchSize;
    this.claimMillis = claimTime.toMillis();
    this.retention = retention;
  }

  /** One claimed message: its attempts with this one, and the delay before this attempt. */
  record Claimed(long seq, OutboxMessage message, int attempts, long lastDelayMillis) {}

  /** A claimed message that failed: its error, and its delay until the next attempt. */
  record Failure(long seq, String error, Duration delay) {}

  /**
   * Claims a batch in a transaction of its own: one statement on PostgreSQL (no {@code COMMIT}
   * round trip on an auto-commit connection), a select and an update on H2. Rows that are no valid
   * message (written by hand, or by a version that checked less) are claimed too, into {@code
   * unreadable}, to be {@linkplain #bury buried}.
   *
   * @return the claimed messages, in {@code seq} order
   */
  List<Claimed> claim(String claimId, List<Failure> unreadable) {
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
      throw failure("claim messages", e);
    }
  }

  private List<Claimed> claimInOneStatement(
      Connection connection, RelaySql statements, String claimId, List<Failure> unreadable)
      throws SQLException {
    List<Claimed> batch =
        claimed(
            connection,
            statements.claim,
            claim -> {
              claim.setString(1, claimId);
              claim.setLong(2, claimMillis);
              claim.setInt(3, batchSize);
            },
            unreadable);
    batch.sort(Comparator.comparingLong(Claimed::seq)); // RETURNING keeps no order
    return batch;
  }

  private List<Claimed> selectAndMark(
      Connection connection, RelaySql statements, String claimId, List<Failure> unreadable)
      throws SQLException {
    List<Claimed> batch =
        claimed(connection, statements.claim, select -> select.setInt(1, batchSize), unreadable);
    Long[] selected =
        Stream.concat(batch.stream().map(Claimed::seq), unreadable.stream().map(Failure::seq))
            .toArray(Long[]::new);
    if (selected.length > 0) {
      Sql.update(
          connection,
          statements.markClaimed,
          mark -> {
            mark.setString(1, claimId);
            mark.setLong(2, claimMillis);
            mark.setObject(3, selected);
          });
    }
    return batch;
  }

  /** Runs the claim's statement: the messages it claims, and the rows that are none. */
  private static List<Claimed> claimed(
      Connection connection, String claim, Sql.Parameters parameters, List<Failure> unreadable)
      throws SQLException {
    List<Claimed> batch = new ArrayList<>();
    Sql.forEach(connection, claim, parameters, row -> read(row, batch, unreadable));
    return batch;
  }

  /**
   * One claimed row: seq, id, topic, key, payload, headers, created at, attempts with this one, the
   * last delay in milliseconds. A row that is no valid message goes to {@code unreadable}.
   */
  private static void read(ResultSet row, List<Claimed> batch, List<Failure> unreadable)
      throws SQLException {
    long seq = row.getLong(1);
    OutboxMessage message;
    try {
      message =
          new OutboxMessage(
              row.getObject(2, UUID.class),
              row.getString(3),
              row.getString(4),
              row.getBytes(5),
              Headers.decode(row.getString(6)),
              row.getObject(7, OffsetDateTime.class).toInstant());
    } catch (IllegalArgumentException invalid) {
      unreadable.add(
          new Failure(
              seq,
              ErrorText.storable("not a valid message: " + invalid.getMessage()),
              Duration.ZERO));
      return;
    }
    batch.add(new Claimed(seq, message, row.getInt(8), row.getLong(9)));
  }

  /** What a held round did: how many rows it handled, and its outcome once committed. */
  record HeldRound(int handled, @Nullable BatchOutcome outcome) {}

  /**
   * One held round in one transaction: locks a batch of claimable rows ({@code FOR UPDATE SKIP
   * LOCKED}, so relays side by side take other rows, and the order check keeps later messages of
   * their keys back), hands it to {@code round} to publish and sort while the rows stay locked,
   * then records the outcome and commits. Each row is written once, by its result, which also
   * counts the attempt. If anything fails, nothing is recorded and the rows are claimable again at
   * once; a relay that dies or is cut off lets go when its session ends, on PostgreSQL at the claim
   * time at the latest ({@code idle_in_transaction_session_timeout}). Rows that are no valid
   * message are buried in the same transaction.
   *
   * @param round publishes a batch and sorts its results; null when the relay is closing (then
   *     nothing is written and the commit lets go of the rows)
   * @return what the round handled, with the outcome to report (null if nothing was published)
   */
  HeldRound holdPublishAndRecord(
      List<Failure> unreadable, Function<List<Claimed>, @Nullable BatchOutcome> round) {
    try {
      return Transaction.own(
          dataSource,
          connection -> {
            RelaySql statements = sql.of(connection);
            List<Claimed> batch =
                claimed(
                    connection,
                    statements.lockClaimable,
                    select -> {
                      if (statements.holdsInClaim) {
                        select.setString(1, String.valueOf(claimMillis));
                        select.setInt(2, batchSize);
                      } else {
                        select.setInt(1, batchSize);
                      }
                    },
                    unreadable);
            buryHeld(connection, statements, unreadable);
            if (batch.isEmpty()) {
              return new HeldRound(unreadable.size(), null);
            }
            BatchOutcome outcome = round.apply(batch);
            if (outcome != null) {
              recordHeld(connection, statements, outcome);
            }
            return new HeldRound(batch.size() + unreadable.size(), outcome);
          });
    } catch (SQLException e) {
      throw failure("claim, publish and record messages in one transaction", e);
    }
  }

  /** A held round's results, in its transaction: they stand or fall together. */
  private void recordHeld(Connection connection, RelaySql statements, BatchOutcome outcome)
      throws SQLException {
    List<Claimed> delivered = outcome.delivered().results();
    if (!delivered.isEmpty()) {
      Sql.update(
          connection,
          retention.isZero() ? statements.deleteHeld : statements.markPublishedHeld,
          published ->
              published.setObject(1, delivered.stream().map(Claimed::seq).toArray(Long[]::new)));
      outcome.delivered().markAll();
    }
    List<Failure> retried = outcome.retried().results();
    if (!retried.isEmpty()) {
      Sql.batch(connection, statements.retryHeld, retried, RelayStore::bindRetry);
      outcome.retried().markAll();
    }
    buryHeld(connection, statements, outcome.buried().results());
    outcome.buried().markAll();
  }

  private static void buryHeld(Connection connection, RelaySql statements, List<Failure> buried)
      throws SQLException {
    if (!buried.isEmpty()) {
      Sql.batch(connection, statements.buryHeld, buried, RelayStore::bindBury);
    }
  }

  /**
   * A retry's due time, delay and error, and its row: the parameters both claims' retries open
   * with.
   */
  private static void bindRetry(PreparedStatement retry, Failure failure) throws SQLException {
    long delayMillis = failure.delay().toMillis();
    retry.setLong(1, delayMillis);
    retry.setLong(2, delayMillis);
    retry.setString(3, failure.error());
    retry.setLong(4, failure.seq());
  }

  /** A dead letter's error and its row: the parameters both claims' burials open with. */
  private static void bindBury(PreparedStatement bury, Failure failure) throws SQLException {
    bury.setString(1, failure.error());
    bury.setLong(2, failure.seq());
  }

  /** Moves claimed messages to the dead letters with their errors, in a transaction of its own. */
  void bury(String claimId, List<Failure> buried) {
    try {
      Transaction.ownStatement(
          dataSource, connection -> bury(connection, sql.of(connection), claimId, buried));
    } catch (SQLException e) {
      throw failure("bury messages", e);
    }
  }

  /**
   * Records each message's result, fenced by the claim (a claim that ran out and was taken over
   * changes nothing), on one connection: delivered messages go in one statement, retries and dead
   * letters in a batch each. Each of the three stands on its own, committed by itself (on an
   * auto-commit connection with no {@code COMMIT} round trip), so that one that fails cannot undo
   * another: the deliveries stay recorded whatever becomes of the retries. Each kind recorded is
   * marked so in the outcome, for the relay to tell its events once the connection is back in the
   * pool. Results that are not recorded are published again once their claims run out.
   *
   * @throws BackendException after trying all three, if one failed
   */
  void record(String claimId, BatchOutcome outcome) {
    SQLException failed = null;
    try (Connection connection = dataSource.getConnection()) {
      RelaySql statements = sql.of(connection);
      BatchOutcome.Kind<Claimed> delivered = outcome.delivered();
      BatchOutcome.Kind<Failure> retried = outcome.retried();
      BatchOutcome.Kind<Failure> buried = outcome.buried();
      failed =
          recordApart(
              connection,
              delivered,
              c -> markDelivered(c, statements, claimId, delivered.results()),
              failed);
      failed =
          recordApart(
              connection,
              retried,
              c -> scheduleRetries(c, statements, claimId, retried.results()),
              failed);
      failed =
          recordApart(
              connection, buried, c -> bury(c, statements, claimId, buried.results()), failed);
    } catch (SQLException e) {
      failed = firstOf(failed, e);
    }
    if (failed != null) {
      throw failure("record the results", failed);
    }
  }

  /**
   * Records one kind of result in a transaction of its own on the connection (one statement: on an
   * auto-commit connection it commits by itself), then marks the results it changed as recorded.
   *
   * @return the first failure so far
   */
  private static @Nullable SQLException recordApart(
      Connection connection,
      BatchOutcome.Kind<?> kind,
      Transaction.Work<int[]> write,
      @Nullable SQLException failed) {
    if (kind.results().isEmpty()) {
      return failed;
    }
    try {
      kind.markRecorded(
          connection.getAutoCommit() ? write.run(connection) : Transaction.run(connection, write));
    } catch (SQLException e) {
      return firstOf(failed, e);
    }
    return failed;
  }

  private static SQLException firstOf(@Nullable SQLException first, SQLException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  /**
   * Marks the deliveries in one statement. Its one count cannot say which rows a claim that ran out
   * lost to another relay; then none is marked recorded (and none reported): the other relay
   * publishes its rows again and reports them itself.
   */
  private int[] markDelivered(
      Connection connection, RelaySql statements, String claimId, List<Claimed> delivered)
      throws SQLException {
    int changed =
        Sql.update(
            connection,
            retention.isZero() ? statements.delete : statements.markPublished,
            published -> {
              published.setObject(1, delivered.stream().map(Claimed::seq).toArray(Long[]::new));
              published.setString(2, claimId);
            });
    int[] each = new int[delivered.size()];
    if (changed == delivered.size()) {
      Arrays.fill(each, 1);
    } else {
      log.debug(
          "claim {} ran out before its deliveries were recorded: {} of {} were still its own;"
              + " none is reported",
          claimId,
          changed,
          delivered.size());
    }
    return each;
  }

  private static int[] scheduleRetries(
      Connection connection, RelaySql statements, String claimId, List<Failure> retried)
      throws SQLException {
    return Sql.batch(
        connection,
        statements.retry,
        retried,
        (retry, failure) -> {
          bindRetry(retry, failure);
          retry.setString(5, claimId);
        });
  }

  private static int[] bury(
      Connection connection, RelaySql statements, String claimId, List<Failure> buried)
      throws SQLException {
    return Sql.batch(
        connection,
        statements.bury,
        buried,
        (bury, failure) -> {
          bindBury(bury, failure);
          bury.setString(3, claimId);
        });
  }

  /**
   * Gives back the pending messages of the claims that match, in a transaction of its own.
   *
   * @param claimPattern a {@code LIKE} pattern of claim ids
   */
  void release(String claimPattern) {
    try {
      Transaction.ownStatement(
          dataSource,
          connection ->
              Sql.update(
                  connection,
                  sql.of(connection).release,
                  release -> release.setString(1, claimPattern)));
    } catch (SQLException e) {
      throw failure("release claims " + claimPattern, e);
    }
  }

  /** The backlog, its lag and the dead letters, by the database's clock, in one statement. */
  Backlog backlog() {
    try {
      return Transaction.ownStatement(dataSource, this::readBacklog);
    } catch (SQLException e) {
      throw failure("read the backlog", e);
    }
  }

  private Backlog readBacklog(Connection connection) throws SQLException {
    return Objects.requireNonNull(
        Sql.first(
            connection,
            sql.of(connection).backlog,
            Sql.Parameters.NONE,
            row -> {
              OffsetDateTime oldest = row.getObject(2, OffsetDateTime.class);
              OffsetDateTime now = row.getObject(4, OffsetDateTime.class);
              return new Backlog(
                  row.getLong(1),
                  oldest == null ? Duration.ZERO : Duration.between(oldest, now),
                  row.getLong(3));
            }),
        "an aggregate query gave no row");
  }

  /**
   * Moves dead letters back to pending, with their attempts reset.
   *
   * @param key only this key's dead letters (checked by the caller), or null for all
   * @return how many were moved
   */
  int replayDead(@Nullable String key) {
    try {
      return Transaction.ownStatement(
          dataSource,
          connection -> {
            RelaySql statements = sql.of(connection);
            return key == null
                ? Sql.update(connection, statements.replayDead, Sql.Parameters.NONE)
                : Sql.update(
                    connection, statements.replayDeadOfKey, replay -> replay.setString(1, key));
          });
    } catch (SQLException e) {
      throw failure("replay the dead letters", e);
    }
  }

  /**
   * Deletes published messages older than the retention, {@value #PURGE_BATCH} a transaction (so a
   * long purge holds no long transaction); nothing when the retention is zero.
   *
   * @return how many were deleted
   */
  long purgePublished() {
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
      throw failure("purge published messages", e);
    }
  }

  private int purgeBatch(Connection connection) throws SQLException {
    return Sql.update(
        connection,
        sql.of(connection).purgePublished,
        purge -> purge.setLong(1, retention.toMillis()));
  }

  private BackendException failure(String what, SQLException e) {
    return Sql.failure(what, table, e);
  }
}
