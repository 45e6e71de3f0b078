package dev.keelson.outbox;

import dev.keelson.core.internal.jdbc.SqlDialect;
import dev.keelson.core.internal.jdbc.Transaction;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * How an idle relay waits for work: until PostgreSQL notifies a commit on the outbox's channel
 * ({@code LISTEN}), or the poll interval at the latest; or simply the poll interval. Whether
 * notifications can be had is found out once, on the first wait: not on H2, and not when the
 * PostgreSQL driver cannot be reached as {@link PGConnection} (a pool that does not unwrap, a
 * driver that a named module cannot read, or no driver class at all). Then the waiter says why,
 * once, and polls for good, without failing a wait.
 *
 * <p>Waits are made on the relay's thread; {@link #wake()} may come from any thread.
 */
final class CommitWaiter implements AutoCloseable {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CommitWaiter.class);

  /** The longest a {@code LISTEN} wait goes without looking for a {@link #wake()}. */
  private static final long SLICE_MILLIS = 250;

  private final DataSource dataSource;
  private final String channel;
  private final Duration pollInterval;
  private final Semaphore wake = new Semaphore(0);
  private boolean listen;
  private @Nullable Connection listening;
  private @Nullable PGConnection notifications;

  CommitWaiter(DataSource dataSource, String channel, Duration pollInterval, boolean listen) {
    this.dataSource = dataSource;
    this.channel = channel;
    this.pollInterval = pollInterval;
    this.listen = listen;
  }

  /** Waits for a commit notification, or the poll interval; less if woken. */
  void awaitCommit() {
    if (!listen) {
      pause(pollInterval);
      return;
    }
    try {
      PGConnection postgres = notifications();
      if (postgres == null) {
        pause(pollInterval);
        return;
      }
      // In slices, so that a wake() is heard within a quarter of a second.
      long until = System.nanoTime() + pollInterval.toNanos();
      long left;
      while ((left = until - System.nanoTime()) > 0) {
        if (wake.tryAcquire()) {
          wake.drainPermits();
          return;
        }
        int slice = (int) Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), SLICE_MILLIS));
        PGNotification[] received = postgres.getNotifications(slice);
        if (received != null && received.length > 0) {
          return;
        }
      }
    } catch (SQLException e) {
      log.debug("LISTEN connection lost; polling until it is back: {}", e.toString());
      close();
      pause(pollInterval);
    }
  }

  /**
   * Waits the duration, less if woken. An interrupt ends the wait and stays set on the thread.
   *
   * @param duration the longest wait
   */
  void pause(Duration duration) {
    try {
      if (wake.tryAcquire(duration.toNanos(), TimeUnit.NANOSECONDS)) {
        wake.drainPermits();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Ends the wait in progress, or else the next one, at once. */
  void wake() {
    wake.release();
  }

  /**
   * The notifications of the connection that listens on the channel, opened if need be; null if
   * this database or driver gives none (found out once: from then on the waiter polls).
   */
  private @Nullable PGConnection notifications() throws SQLException {
    if (notifications != null) {
      return notifications;
    }
    Connection connection = dataSource.getConnection();
    try {
      PGConnection postgres = probe(connection);
      if (postgres == null) {
        listen = false;
        connection.close();
        return null;
      }
      // LISTEN takes effect at commit: in a transaction of its own, whatever the pool's mode.
      Transaction.run(connection, this::subscribe);
      listening = connection;
      notifications = postgres;
      return postgres;
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** The connection as the PostgreSQL driver's, or null (said why) if it cannot be had. */
  private @Nullable PGConnection probe(Connection connection) throws SQLException {
    if (SqlDialect.of(connection) != SqlDialect.POSTGRESQL) {
      log.debug("outbox {}: not on PostgreSQL, so polling every {}", channel, pollInterval);
      return null;
    }
    try {
      return connection.unwrap(PGConnection.class);
    } catch (SQLException | LinkageError e) {
      // LinkageError: no driver class, or one this module cannot read (on the module path, the
      // driver must be a module, org.postgresql.jdbc, not on the class path).
      log.warn(
          "outbox {}: cannot LISTEN for commits, so polling every {} instead: the connection does"
              + " not unwrap to org.postgresql.PGConnection ({})",
          channel,
          pollInterval,
          e.toString());
      return null;
    }
  }

  private boolean subscribe(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      return statement.execute("LISTEN " + channel);
    }
  }

  /** Closes the listening connection, if open; the next wait opens another. */
  @Override
  public void close() {
    notifications = null;
    if (listening != null) {
      try {
        listening.close();
      } catch (SQLException e) {
        log.debug("closing the LISTEN connection: {}", e.toString());
      }
      listening = null;
    }
  }
}
