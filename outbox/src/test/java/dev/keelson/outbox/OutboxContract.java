package dev.keelson.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.keelson.core.BackendException;
import dev.keelson.retry.Backoff;
import dev.keelson.testing.AutoCommit;
import dev.keelson.testing.ServerTime;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** What the outbox promises on every database, with one relay. */
public abstract class OutboxContract {

  protected final InMemoryPublisher publisher = InMemoryPublisher.withDefaults();
  protected final List<String> events = new CopyOnWriteArrayList<>();

  /** The backlog samples {@link #recording} heard, with the relay's name. */
  protected final List<Map.Entry<String, Backlog>> backlogs = new CopyOnWriteArrayList<>();

  protected final OutboxListener recording =
      new OutboxListener() {
        @Override
        public void onAppended(String outbox, int messages) {
          events.add("appended " + messages + " to " + outbox);
        }

        @Override
        public void onBacklog(String relay, Backlog backlog) {
          backlogs.add(Map.entry(relay, backlog));
        }

        @Override
        public void onRetryScheduled(
            String relay, OutboxMessage message, int attempts, String error, Duration delay) {
          events.add("retry " + message.key() + " attempt " + attempts + ": " + error);
        }

        @Override
        public void onDead(String relay, OutboxMessage message, int attempts, String error) {
          events.add("dead " + message.key() + " after " + attempts + ": " + error);
        }
      };

  /** A database with the outbox's table, its own for this test, in JDBC's default auto-commit. */
  protected abstract DataSource database();

  /** The auto-commit mode the code under test gets its connections in. */
  protected AutoCommit autoCommit() {
    return AutoCommit.ON;
  }

  /** The database as the code under test sees it: connections in {@link #autoCommit()}. */
  protected DataSource dataSource() {
    return autoCommit().applyTo(database());
  }

  /** The outbox, in a table of this test's own. */
  protected abstract Outbox outbox();

  protected OutboxRelay.Builder relay() {
    return relay(dataSource(), publisher)
        .backoff(Backoff.fixed(Duration.ofMillis(50)))
        .listener(recording);
  }

  /** Whether this kit's relays hold their rows while they publish (else they lease them). */
  protected boolean holdsRows() {
    return false;
  }

  /** Every relay of the kit is built here, so a kit can run them all with held rows. */
  protected OutboxRelay.Builder relay(DataSource dataSource, Publisher publisher) {
    OutboxRelay.Builder relay = OutboxRelay.builder(dataSource, outbox(), publisher);
    return holdsRows() ? relay.holdRowsWhilePublishing() : relay;
  }

  protected static OutboxMessage message(String key, String text) {
    return OutboxMessage.of("payments", key, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Appends and commits, as a business transaction would. */
  protected void commit(OutboxMessage... messages) {
    try (Connection connection = dataSource().getConnection()) {
      connection.setAutoCommit(false);
      outbox().appendAll(connection, List.of(messages));
      connection.commit();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs rounds until one finds nothing to do and nothing is due within the backoff. */
  protected void drain(OutboxRelay relay) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    int idle = 0;
    while (idle < 5 && System.nanoTime() < deadline) {
      if (relay.runOnce() == 0) {
        idle++;
        ServerTime.letPass(Duration.ofMillis(60));
      } else {
        idle = 0;
      }
    }
  }

  @Test
  void aRolledBackAppendLeavesNoTrace() throws SQLException {
    try (Connection connection = dataSource().getConnection()) {
      connection.setAutoCommit(false);
      outbox().append(connection, message("order-1", "never"));
      connection.rollback();
    }
    OutboxRelay relay = relay().build();

    assertThat(relay.runOnce()).isZero();
    assertThat(relay.backlog().pending()).isZero();
    assertThat(publisher.delivered()).isEmpty();
  }

  @Test
  void aCommittedMessageIsPublishedExactlyAsCommitted() {
    OutboxMessage sent =
        message("order-1", "paid").withHeader("content-type", "text/plain").withHeader("a&b", "=");
    commit(sent);
    OutboxRelay relay = relay().build();

    assertThat(relay.backlog().pending()).isEqualTo(1);
    assertThat(relay.runOnce()).isEqualTo(1);

    assertThat(publisher.delivered()).containsExactly(sent);
    assertThat(relay.runOnce()).as("published once").isZero();
    assertThat(relay.backlog()).isEqualTo(new Backlog(0, Duration.ZERO, 0));
  }

  @Test
  void messagesOfAKeyArePublishedInTheirOrderAndABatchHoldsOneOfEach() {
    commit(message("a", "a1"), message("b", "b1"), message("a", "a2"));
    commit(message("a", "a3"), message("b", "b2"));
    OutboxRelay relay = relay().build();

    assertThat(relay.runOnce()).as("the first of each key").isEqualTo(2);
    drain(relay);

    assertThat(payloads(publisher.delivered())).containsExactly("a1", "b1", "a2", "b2", "a3");
  }

  @Test
  void failuresAreRetriedThenDeadLetteredWithoutBlockingOtherKeys() {
    publisher.setRule(
        m ->
            m.key().equals("bad")
                ? PublishResult.retry("broker said no", null)
                : PublishResult.delivered());
    commit(message("bad", "bad-1"), message("good", "good-1"));
    commit(message("bad", "bad-2"), message("good", "good-2"));
    OutboxRelay relay = relay().maxAttempts(3).build();

    drain(relay);

    assertThat(payloads(publisher.delivered())).containsExactly("good-1", "good-2");
    assertThat(events)
        .containsExactly(
            "retry bad attempt 1: broker said no",
            "retry bad attempt 2: broker said no",
            "dead bad after 3: broker said no (after 3 attempts)");
    assertThat(relay.backlog().dead()).isEqualTo(1);
    assertThat(relay.backlog().pending()).as("bad-2 waits behind its dead letter").isEqualTo(1);

    publisher.setRule(m -> PublishResult.delivered());
    assertThat(relay.replayDead("bad")).isEqualTo(1);
    drain(relay);
    assertThat(payloads(publisher.delivered()))
        .containsExactly("good-1", "good-2", "bad-1", "bad-2");
  }

  @Test
  void aKeyCanBeToldToMoveOnPastItsDeadLetters() {
    publisher.setRule(
        m ->
            new String(m.payload(), StandardCharsets.UTF_8).equals("poison")
                ? PublishResult.reject("HTTP 400")
                : PublishResult.delivered());
    commit(message("k", "poison"), message("k", "next"));
    OutboxRelay relay = relay().skipDeadMessages().build();

    drain(relay);

    assertThat(payloads(publisher.delivered())).containsExactly("next");
    assertThat(events).containsExactly("dead k after 1: HTTP 400");
  }

  @Test
  void aReceiversRetryAfterIsHonoured() {
    publisher.setRule(m -> PublishResult.retry("HTTP 429", Duration.ofMinutes(1)));
    commit(message("k", "throttled"));
    OutboxRelay relay = relay().build();

    assertThat(relay.runOnce()).isEqualTo(1);
    publisher.setRule(m -> PublishResult.delivered());
    ServerTime.letPass(Duration.ofMillis(200));

    assertThat(relay.runOnce()).as("not due for a minute").isZero();
  }

  @Test
  void aRetryAfterBeyondTheCapIsRetriedAtTheCap() {
    Map<String, Duration> delays = new ConcurrentHashMap<>();
    publisher.setRule(
        m ->
            m.key().equals("huge")
                ? PublishResult.retry("HTTP 429", Duration.ofSeconds(Long.MAX_VALUE))
                : PublishResult.retry("HTTP 503", Duration.ofSeconds(-5)));
    commit(message("huge", "huge"), message("negative", "negative"));
    Duration cap = Duration.ofMillis(300);
    OutboxRelay relay =
        relay()
            .maxRetryAfter(cap)
            .listener(
                new OutboxListener() {
                  @Override
                  public void onRetryScheduled(
                      String relay,
                      OutboxMessage message,
                      int attempts,
                      String error,
                      Duration delay) {
                    delays.put(message.key(), delay);
                  }
                })
            .build();

    assertThat(relay.runOnce()).isEqualTo(2);

    assertThat(delays).containsEntry("huge", cap).containsEntry("negative", Duration.ZERO);
    publisher.setRule(m -> PublishResult.delivered());
    assertThat(relay.runOnce()).as("only the one due now").isEqualTo(1);
    assertThat(relay.runOnce()).as("the capped one waits for the cap").isZero();
    ServerTime.letPass(cap);
    assertThat(relay.runOnce()).as("and comes at the cap").isEqualTo(1);
    assertThat(payloads(publisher.delivered())).containsExactly("negative", "huge");
  }

  @Test
  void theBackoffIsGivenThePreviousDelay() {
    List<Long> previousDelays = new CopyOnWriteArrayList<>();
    Backoff growing =
        (retry, previousDelayNanos, random) -> {
          previousDelays.add(previousDelayNanos);
          return Duration.ofMillis(20L * retry).toNanos();
        };
    publisher.setRule(m -> PublishResult.retry("HTTP 503", null));
    commit(message("k", "failing"));
    OutboxRelay relay = relay().backoff(growing).maxAttempts(4).build();

    drain(relay);

    assertThat(previousDelays)
        .containsExactly(0L, Duration.ofMillis(20).toNanos(), Duration.ofMillis(40).toNanos());
    assertThat(relay.backlog().dead()).isEqualTo(1);
    assertThat(relay.replayDead("k")).isEqualTo(1);
    drain(relay);
    assertThat(previousDelays)
        .as("a replayed message starts again from no delay")
        .element(3)
        .isEqualTo(0L);
  }

  @Test
  void aBackoffOfCenturiesWaitsAYearAtMost() throws SQLException {
    List<Duration> delays = new CopyOnWriteArrayList<>();
    publisher.setRule(m -> PublishResult.retry("HTTP 503", null));
    commit(message("k", "far"));
    OutboxRelay relay =
        relay()
            .backoff((retry, previous, random) -> Long.MAX_VALUE) // 292 years
            .listener(delaysInto(delays))
            .build();

    assertThat(relay.runOnce()).isEqualTo(1);

    assertThat(delays).containsExactly(Duration.ofDays(365));
    assertThat(relay.runOnce()).as("not due for a year").isZero();
    assertThat(Long.parseLong(column("last_delay_ms", "far")))
        .isEqualTo(Duration.ofDays(365).toMillis());
  }

  @Test
  void publishedMessagesCanBeKeptForARetention() {
    commit(message("k", "kept"));
    OutboxRelay relay = relay().retention(Duration.ofDays(1)).build();

    assertThat(relay.runOnce()).isEqualTo(1);

    assertThat(relay.runOnce()).isZero();
    assertThat(relay.backlog().pending()).isZero();
    assertThat(relay.purgePublished()).as("not a day old").isZero();
  }

  @Test
  void anAppendOnAnAutoCommitConnectionIsAllOrNothing() throws SQLException {
    OutboxMessage first = message("a", "first");
    OutboxMessage sameId =
        new OutboxMessage(first.id(), "payments", "b", new byte[0], Map.of(), first.createdAt());
    try (Connection connection = database().getConnection()) {
      assertThat(connection.getAutoCommit()).isTrue();

      assertThatThrownBy(() -> outbox().appendAll(connection, List.of(first, sameId)))
          .isInstanceOf(SQLException.class);
    }

    assertThat(relay().build().backlog().pending()).as("neither message").isZero();
  }

  @Test
  void anAppendOnAnAutoCommitConnectionCommitsByItself() throws SQLException {
    try (Connection connection = database().getConnection()) {
      outbox().append(connection, message("k", "alone"));
    }
    OutboxRelay relay = relay().build();

    assertThat(relay.runOnce()).isEqualTo(1);
    assertThat(payloads(publisher.delivered())).containsExactly("alone");
  }

  @Test
  void purgedMessagesAreGone() {
    commit(message("k", "kept briefly"));
    OutboxRelay relay = relay().retention(Duration.ofMillis(1)).build();
    assertThat(relay.runOnce()).isEqualTo(1);
    ServerTime.letPass(Duration.ofMillis(20));

    assertThat(relay.purgePublished()).isEqualTo(1);
    assertThat(relay.purgePublished()).as("purged for good").isZero();
  }

  @Test
  void aBatchThatNeverAnswersInTimeCountsFailedAttemptsAndEndsDead() throws SQLException {
    commit(message("k", "slow"));
    List<CompletableFuture<List<PublishResult>>> given = new CopyOnWriteArrayList<>();
    Publisher neverAnswers =
        batch -> {
          CompletableFuture<List<PublishResult>> never = new CompletableFuture<>();
          given.add(never);
          return never;
        };
    OutboxRelay relay =
        relay(dataSource(), neverAnswers)
            .claimTime(Duration.ofMillis(200))
            .maxAttempts(2)
            .backoff(Backoff.fixed(Duration.ofSeconds(1)))
            .listener(recording)
            .build();

    assertThat(relay.runOnce()).isEqualTo(1);
    assertThat(claimedBy("slow")).as("retried after the backoff, not left claimed").isNull();
    assertThat(relay.runOnce()).as("not due before the backoff").isZero();
    ServerTime.letPass(Duration.ofSeconds(1));
    assertThat(relay.runOnce()).isEqualTo(1);

    String late = "the publisher did not answer within nine tenths of the claim time";
    assertThat(events)
        .containsExactly(
            "retry k attempt 1: " + late, "dead k after 2: " + late + " (after 2 attempts)");
    assertThat(relay.backlog()).isEqualTo(new Backlog(0, Duration.ZERO, 1));
    assertThat(given)
        .as("what the publisher started is cancelled")
        .allMatch(CompletableFuture::isCancelled);
  }

  @Test
  void aSlowBlockingBatchRecordsWhatItSentBeforeTheDeadline() {
    int keys = 8;
    for (int i = 0; i < keys; i++) {
      commit(message("k" + i, "m" + i));
    }
    List<String> sent = new CopyOnWriteArrayList<>();
    Publisher slow =
        Publisher.eachBlocking(
            m -> {
              ServerTime.letPass(Duration.ofMillis(50)); // 100 ms or more a message
              sent.add(new String(m.payload(), StandardCharsets.UTF_8));
              return PublishResult.delivered();
            });
    // 400 ms for the publisher to send in (eight tenths of the claim): a few messages a round.
    OutboxRelay relay =
        relay(dataSource(), slow)
            .claimTime(Duration.ofMillis(500))
            .maxAttempts(100)
            .backoff(Backoff.fixed(Duration.ZERO))
            .build();

    int rounds = 0;
    while (relay.backlog().pending() > 0) {
      assertThat(rounds++).as("every round records what it sent").isLessThan(8);
      relay.runOnce();
    }

    assertThat(sent).as("each message sent").containsAll(payloads(keys));
    assertThat(sent)
        .as("once, or once more for the send in flight at a round's deadline")
        .hasSizeLessThanOrEqualTo(keys + rounds);
  }

  private static List<String> payloads(int keys) {
    return java.util.stream.IntStream.range(0, keys).mapToObj(i -> "m" + i).toList();
  }

  @Test
  void aBlockingPublisherIsBoundedByTheClaimsDeadline() throws Exception {
    commit(message("a", "stuck"), message("b", "never tried"));
    CountDownLatch unblock = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    List<String> tried = new CopyOnWriteArrayList<>();
    Publisher stuck =
        Publisher.eachBlocking(
            m -> {
              tried.add(m.key());
              try {
                unblock.await();
              } catch (InterruptedException e) {
                interrupted.countDown();
              }
              return PublishResult.delivered();
            });
    OutboxRelay relay = relay(dataSource(), stuck).claimTime(Duration.ofMillis(200)).build();
    try {
      assertThat(assertTimeoutPreemptively(Duration.ofSeconds(10), relay::runOnce)).isEqualTo(2);

      assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the send is interrupted").isTrue();
      assertThat(claimedBy("stuck")).as("retried, not left claimed").isNull();
      assertThat(tried).as("and sends nothing more").containsExactly("a");
      assertThat(publisher.delivered()).isEmpty();
    } finally {
      unblock.countDown();
    }
  }

  @Test
  void aSendThatIgnoresInterruptsHoldsUpOneThreadNotOneARound() throws Exception {
    commit(message("k", "unanswered"));
    Set<Thread> before = blockingSenders();
    List<Socket> opened = new CopyOnWriteArrayList<>();
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      // A classic socket read without a timeout: an interrupt does not end it.
      Publisher readsForever =
          Publisher.eachBlocking(
              m -> {
                try (Socket socket = new Socket(silent.getInetAddress(), silent.getLocalPort())) {
                  opened.add(socket);
                  return PublishResult.retry("read " + socket.getInputStream().read(), null);
                } catch (IOException e) {
                  return PublishResult.retry(e.toString(), null);
                }
              });
      OutboxRelay relay =
          relay(dataSource(), readsForever)
              .claimTime(Duration.ofMillis(100))
              .maxAttempts(100)
              .backoff(Backoff.fixed(Duration.ZERO))
              .listener(recording)
              .build();
      try {
        for (int round = 0; round < 20; round++) {
          assertThat(relay.runOnce()).isEqualTo(1);
        }

        assertThat(opened).as("no send started while the first is hung").hasSize(1);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (newSince(before) > 1) {
          assertThat(System.nanoTime()).as("one thread left, the hung one").isLessThan(deadline);
          ServerTime.letPass(Duration.ofMillis(10));
        }
        assertThat(events)
            .hasSize(20)
            .last()
            .asString()
            .endsWith(BlockingPublisher.BEHIND_A_HUNG_SEND);
      } finally {
        for (Socket socket : opened) {
          socket.close(); // ends the read
        }
      }
    }
  }

  private static Set<Thread> blockingSenders() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("keelson-outbox-blocking-publisher") && t.isAlive())
        .collect(Collectors.toSet());
  }

  private static long newSince(Set<Thread> before) {
    return blockingSenders().stream().filter(t -> !before.contains(t)).count();
  }

  /** A listener that adds each retry's delay to the list. */
  static OutboxListener delaysInto(List<Duration> delays) {
    return new OutboxListener() {
      @Override
      public void onRetryScheduled(
          String relay, OutboxMessage message, int attempts, String error, Duration delay) {
        delays.add(delay);
      }
    };
  }

  /** Who holds the claim on the message with this payload, by the database. */
  protected String claimedBy(String payload) throws SQLException {
    return column("claimed_by", payload);
  }

  /** The state of the message with this payload, by the database. */
  protected String stateOf(String payload) throws SQLException {
    return column("state", payload);
  }

  /** A column of the message with this payload, as the database has it. */
  private String column(String column, String payload) throws SQLException {
    try (Connection connection = database().getConnection();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT " + column + " FROM " + outbox().table() + " WHERE payload = ?")) {
      select.setBytes(1, payload.getBytes(StandardCharsets.UTF_8));
      try (ResultSet row = select.executeQuery()) {
        assertThat(row.next()).as("the message %s is in the table", payload).isTrue();
        return row.getString(1);
      }
    }
  }

  /** A listener whose every method throws. */
  protected static final OutboxListener THROWING =
      new OutboxListener() {
        @Override
        public void onPublished(
            String relay, OutboxMessage message, int attempts, Duration sinceCreated) {
          throw new IllegalStateException("onPublished");
        }

        @Override
        public void onRetryScheduled(
            String relay, OutboxMessage message, int attempts, String error, Duration delay) {
          throw new IllegalStateException("onRetryScheduled");
        }

        @Override
        public void onDead(String relay, OutboxMessage message, int attempts, String error) {
          throw new IllegalStateException("onDead");
        }

        @Override
        public void onBatch(String relay, int size, Duration took) {
          throw new IllegalStateException("onBatch");
        }

        @Override
        public void onRelayError(String relay, Exception error) {
          throw new IllegalStateException("onRelayError");
        }

        @Override
        public void onAppended(String outbox, int messages) {
          throw new IllegalStateException("onAppended");
        }

        @Override
        public void onBacklog(String relay, Backlog backlog) {
          throw new IllegalStateException("onBacklog");
        }
      };

  @Test
  void aThrowingListenerChangesNoOutcome() throws SQLException {
    publisher.setRule(
        m ->
            switch (m.key()) {
              case "busy" -> PublishResult.retry("HTTP 503", null);
              case "refused" -> PublishResult.reject("HTTP 400");
              default -> PublishResult.delivered();
            });
    commit(message("ok", "ok"), message("busy", "busy"), message("refused", "refused"));
    OutboxRelay relay = relay().listener(THROWING).build();

    assertThat(relay.runOnce()).isEqualTo(3);

    assertThat(payloads(publisher.delivered())).containsExactly("ok");
    assertThat(relay.backlog()).extracting(Backlog::pending, Backlog::dead).containsExactly(1L, 1L);
    assertThat(claimedBy("busy")).as("the retry is scheduled, not left claimed").isNull();
  }

  @Test
  void aThrowingListenerNeverStopsTheLoop() {
    AtomicInteger rounds = new AtomicInteger();
    Publisher failsOnce =
        batch -> {
          if (rounds.incrementAndGet() == 1) {
            throw new IllegalStateException("the broker client is broken this once");
          }
          return publisher.publish(batch);
        };
    commit(message("k", "first"));
    OutboxRelay relay =
        relay(dataSource(), failsOnce)
            .claimTime(Duration.ofMillis(100))
            .pollInterval(Duration.ofMillis(20))
            .listener(THROWING)
            .build();
    relay.start();
    try {
      awaitDelivered(1);
      commit(message("k", "second"));
      awaitDelivered(2);
    } finally {
      relay.close();
    }

    assertThat(payloads(publisher.delivered())).containsExactly("first", "second");
  }

  @Test
  void anErrorInARoundIsReportedAndTheLoopGoesOn() {
    List<Exception> reported = new CopyOnWriteArrayList<>();
    AtomicInteger delays = new AtomicInteger();
    Backoff brokenOnce =
        (retry, previous, random) -> {
          if (delays.incrementAndGet() == 1) {
            throw new AssertionError("a bug in the backoff");
          }
          return 0;
        };
    publisher.setRule(m -> PublishResult.retry("HTTP 503", null));
    commit(message("k", "first"));
    OutboxRelay relay =
        relay()
            .backoff(brokenOnce)
            .claimTime(Duration.ofMillis(200))
            .pollInterval(Duration.ofMillis(20))
            .listener(reportingTo(reported))
            .build();
    relay.start();
    try {
      awaitReported(reported, 1);
      publisher.setRule(m -> PublishResult.delivered());
      awaitDelivered(1);
    } finally {
      relay.close();
    }

    assertThat(reported.get(0)).hasRootCauseMessage("a bug in the backoff");
  }

  @Test
  void anErrorOfTheVirtualMachineEndsTheLoopReportedAndTheRelayCanBeStartedAgain() {
    List<Exception> reported = new CopyOnWriteArrayList<>();
    AtomicInteger rounds = new AtomicInteger();
    Publisher outOfMemoryOnce =
        batch -> {
          if (rounds.incrementAndGet() == 1) {
            throw new OutOfMemoryError("simulated");
          }
          return publisher.publish(batch);
        };
    commit(message("k", "first"));
    OutboxRelay relay =
        relay(dataSource(), outOfMemoryOnce)
            .pollInterval(Duration.ofMillis(20))
            .listener(reportingTo(reported))
            .build();
    try {
      relay.start();
      awaitReported(reported, 1);
      assertThat(reported.get(0)).hasRootCauseInstanceOf(OutOfMemoryError.class);

      assertTimeoutPreemptively(Duration.ofSeconds(10), relay::start);
      awaitDelivered(1);
    } finally {
      relay.close();
    }
    assertThat(payloads(publisher.delivered())).containsExactly("first");
  }

  private static OutboxListener reportingTo(List<Exception> reported) {
    return new OutboxListener() {
      @Override
      public void onRelayError(String relay, Exception error) {
        reported.add(error);
      }
    };
  }

  private static void awaitReported(List<Exception> reported, int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (reported.size() < count) {
      assertThat(System.nanoTime()).as("%d reported within 10 s", count).isLessThan(deadline);
      ServerTime.letPass(Duration.ofMillis(10));
    }
  }

  @Test
  void aPublisherThatThrowsOrAnswersWronglyHasItsBatchRetriedNotLeftClaimed() throws SQLException {
    List<Publisher> broken =
        List.of(
            batch -> {
              throw new IllegalStateException("the broker client is broken");
            },
            batch -> {
              throw new NoClassDefFoundError("com/example/broker/Client");
            },
            batch -> null,
            batch -> CompletableFuture.completedFuture(List.of()),
            batch ->
                CompletableFuture.completedFuture(java.util.Arrays.asList(new PublishResult[1])));
    for (Publisher publisher : broken) {
      commit(message("k", "broken"));
      OutboxRelay relay =
          relay(dataSource(), publisher)
              .backoff(Backoff.fixed(Duration.ofMillis(10)))
              .listener(recording)
              .build();

      assertThat(relay.runOnce()).isEqualTo(1);
      assertThat(claimedBy("broken")).as("the retry is scheduled, not left claimed").isNull();
      assertThat(relay.backlog().pending()).isEqualTo(1);

      ServerTime.letPass(Duration.ofMillis(10));
      assertThat(relay().build().runOnce()).as("delivered by a working relay").isEqualTo(1);
    }
    assertThat(payloads(this.publisher.delivered())).hasSize(5);
  }

  /** Waits until the publisher has delivered this many messages, or fails after 10 s. */
  protected void awaitDelivered(int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (publisher.delivered().size() < count) {
      assertThat(System.nanoTime()).as("%d delivered within 10 s", count).isLessThan(deadline);
      ServerTime.letPass(Duration.ofMillis(10));
    }
  }

  @Test
  void aStoredRowThatIsNoValidMessageGoesDeadWithoutHoldingUpItsBatch() throws SQLException {
    commit(message("a", "before"));
    insertByHand("b", "Host=evil", "written by hand");
    insertByHand("c", "X%00Y=1", "with U+0000 in a header name");
    commit(message("d", "after"));
    OutboxRelay relay = relay().build();

    assertThat(relay.runOnce()).isEqualTo(4);
    assertThat(relay.runOnce()).as("nothing left claimable").isZero();

    assertThat(payloads(publisher.delivered())).containsExactly("before", "after");
    assertThat(relay.backlog()).isEqualTo(new Backlog(0, Duration.ZERO, 2));
    assertThat(column("last_error", "written by hand"))
        .isEqualTo(
            "not a valid message: header name: 'Host' is reserved: a webhook sets it itself");
    assertThat(column("last_error", "with U+0000 in a header name"))
        .as("quoted, so that PostgreSQL text can hold it")
        .isEqualTo(
            "not a valid message: header name: 'X\\u0000Y' is not an HTTP token"
                + " (letters, digits and !#$%&'*+-.^_`|~)");
  }

  /** A row as a hand or an earlier version could have written it, with these raw headers. */
  private void insertByHand(String key, String headers, String payload) throws SQLException {
    try (Connection connection = database().getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO "
                    + outbox().table()
                    + " (id, topic, msg_key, payload, headers, created_at)"
                    + " VALUES (?, 'payments', ?, ?, ?, ?)")) {
      insert.setObject(1, UUID.randomUUID());
      insert.setString(2, key);
      insert.setBytes(3, payload.getBytes(StandardCharsets.UTF_8));
      insert.setString(4, headers);
      insert.setObject(5, java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC));
      insert.executeUpdate();
    }
  }

  @Test
  void anErrorTextADatabaseCannotHoldIsStoredCleanedAndTheBatchIsRecorded() throws SQLException {
    String huge = "x".repeat(100_000);
    publisher.setRule(
        m ->
            switch (m.key()) {
              case "bad" -> PublishResult.retry("broker said \u0000 and \uD800", null);
              case "huge" -> PublishResult.reject(huge);
              default -> PublishResult.delivered();
            });
    commit(message("good", "good"), message("bad", "bad"), message("huge", "huge"));
    OutboxRelay relay = relay().maxAttempts(2).build();

    assertThat(relay.runOnce()).isEqualTo(3);
    drain(relay);

    assertThat(payloads(publisher.delivered()))
        .as("recorded: never sent again")
        .containsExactly("good");
    assertThat(relay.backlog()).isEqualTo(new Backlog(0, Duration.ZERO, 2));
    String cleaned = "broker said \uFFFD and \uFFFD";
    assertThat(column("last_error", "bad")).isEqualTo(cleaned + " (after 2 attempts)");
    assertThat(events).first().isEqualTo("retry bad attempt 1: " + cleaned);
    assertThat(column("last_error", "huge"))
        .hasSize(ErrorText.MAX_LENGTH)
        .startsWith("xxx")
        .endsWith("\u2026");
  }

  @Test
  void badInputIsRejectedByName() {
    assertThatThrownBy(() -> Outbox.builder().table("outbox; DROP"))
        .hasMessageStartingWith("table: ");
    assertThatThrownBy(() -> message("", "x")).hasMessageStartingWith("key: ");
    assertThatThrownBy(() -> OutboxMessage.of("t".repeat(256), "k", new byte[0]))
        .hasMessageStartingWith("topic: ");
    assertThatThrownBy(() -> relay().batchSize(0)).hasMessageStartingWith("batchSize: 0");
    assertThatThrownBy(() -> relay().claimTime(Duration.ofMillis(1)))
        .hasMessageStartingWith("claimTime: ");
    assertThatThrownBy(() -> relay().maxRetryAfter(Duration.ofDays(2)))
        .hasMessageStartingWith("maxRetryAfter: PT48H is not in PT0S..PT24H");
    assertThatThrownBy(() -> relay().name(""))
        .hasMessage("name: must be 1 to 64 characters, not 0");
    assertThatThrownBy(() -> Outbox.builder().name(" ")).hasMessage("name: must not be blank");
    assertThatThrownBy(() -> Outbox.builder().listener(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("listener");
    assertThatThrownBy(() -> relay().backlogInterval(Duration.ofMillis(99)))
        .hasMessage("backlogInterval: PT0.099S is not in PT0.1S..PT1H");
    assertThatThrownBy(() -> relay().backlogInterval(Duration.ofMillis(-100)))
        .hasMessage("backlogInterval: PT-0.1S is not in PT0.1S..PT1H");
    assertThatThrownBy(() -> relay().backlogInterval(Duration.ofHours(1).plusMillis(1)))
        .hasMessage("backlogInterval: PT1H0.001S is not in PT0.1S..PT1H");
    assertThatThrownBy(() -> relay().backlogInterval(null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("backlogInterval");
    relay().backlogInterval(Duration.ZERO).backlogInterval(Duration.ofMillis(100));
    relay().backlogInterval(Duration.ofHours(1));
    assertThatThrownBy(() -> relay().build().replayDead("k\uD800"))
        .hasMessageStartingWith("key: has an unpaired surrogate");
    assertThatThrownBy(() -> outbox().append(null, message("k", "x")))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void everyEventCarriesTheRelaysName() {
    List<String> names = new CopyOnWriteArrayList<>();
    OutboxListener naming =
        new OutboxListener() {
          @Override
          public void onPublished(
              String relay, OutboxMessage message, int attempts, Duration sinceCreated) {
            names.add("published by " + relay);
          }

          @Override
          public void onRetryScheduled(
              String relay, OutboxMessage message, int attempts, String error, Duration delay) {
            names.add("retried by " + relay);
          }

          @Override
          public void onDead(String relay, OutboxMessage message, int attempts, String error) {
            names.add("buried by " + relay);
          }

          @Override
          public void onBatch(String relay, int size, Duration took) {
            names.add("batch of " + relay);
          }
        };
    publisher.setRule(
        m ->
            switch (m.key()) {
              case "busy" -> PublishResult.retry("HTTP 503", null);
              case "refused" -> PublishResult.reject("HTTP 400");
              default -> PublishResult.delivered();
            });
    commit(message("fine", "1"), message("busy", "2"), message("refused", "3"));
    OutboxRelay named = relay().name("payments").listener(naming).build();

    assertThat(named.name()).isEqualTo("payments");
    assertThat(named.runOnce()).isEqualTo(3);
    assertThat(names)
        .containsExactly(
            "published by payments",
            "retried by payments",
            "buried by payments",
            "batch of payments");
    assertThat(relay().build().name()).as("by default, the table").isEqualTo(outbox().table());
  }

  @Test
  void listenersAreToldOnlyOnceTheRelayHasGivenItsConnectionBack() {
    LentConnections pool = new LentConnections(dataSource());
    List<String> heard = new CopyOnWriteArrayList<>();
    OutboxListener countsLent = keysInto(heard, () -> " with " + pool.now() + " lent");
    publisher.setRule(
        m ->
            switch (m.key()) {
              case "later" -> PublishResult.retry("HTTP 503", Duration.ofMinutes(1));
              case "never" -> PublishResult.reject("HTTP 400");
              default -> PublishResult.delivered();
            });
    commit(message("now", "1"), message("later", "2"), message("never", "3"));

    OutboxRelay relay = relay(pool.dataSource(), publisher).listener(countsLent).build();
    assertThat(relay.runOnce()).isEqualTo(3);

    assertThat(heard)
        .containsExactly(
            "published now with 0 lent",
            "retry later with 0 lent",
            "dead never with 0 lent",
            "batch of 3 with 0 lent");
  }

  @Test
  void aRelayReportsOnlyTheResultsThatWereStillItsOwnWhenItRecordedThem() {
    List<String> heard = new CopyOnWriteArrayList<>();
    OutboxListener hearing = keysInto(heard, () -> "");
    commit(
        message("kept-delivery", "1"),
        message("lost-delivery", "2"),
        message("kept-retry", "3"),
        message("lost-retry", "4"),
        message("kept-death", "5"));
    AtomicInteger takenByAnother = new AtomicInteger();
    Publisher takenOverWhilePublishing =
        batch -> {
          if (holdsRows()) {
            // Held rows are locked: another relay finds none of them to take.
            takenByAnother.set(relay(dataSource(), publisher).build().runOnce());
          } else {
            // Another relay takes these rows over, as it would once this relay's claim ran out.
            for (String key : List.of("lost-delivery", "lost-retry")) {
              steal(key);
            }
          }
          return CompletableFuture.completedFuture(
              batch.stream()
                  .map(
                      m ->
                          m.key().endsWith("retry")
                              ? PublishResult.retry("HTTP 503", Duration.ofMinutes(1))
                              : m.key().endsWith("death")
                                  ? PublishResult.reject("HTTP 400")
                                  : PublishResult.delivered())
                  .toList());
        };
    OutboxRelay relay = relay(dataSource(), takenOverWhilePublishing).listener(hearing).build();

    assertThat(relay.runOnce()).isEqualTo(5);

    if (holdsRows()) {
      assertThat(takenByAnother).as("no row could be taken over").hasValue(0);
      assertThat(heard)
          .as("every result was this relay's: all are reported")
          .containsExactlyInAnyOrder(
              "published kept-delivery",
              "published lost-delivery",
              "retry kept-retry",
              "retry lost-retry",
              "dead kept-death",
              "batch of 5");
    } else {
      assertThat(heard)
          .as(
              "one statement records the deliveries, and it cannot say which one it lost: it"
                  + " reports neither; the retries and deaths are reported row by row")
          .containsExactly("retry kept-retry", "dead kept-death", "batch of 5");
    }
  }

  @Test
  void whenOneKindOfResultCannotBeRecordedOnlyWhatWasRecordedIsReported() throws SQLException {
    try (Connection connection = database().getConnection();
        Statement ddl = connection.createStatement()) {
      // The database refuses every retry this relay records (a real constraint violation).
      ddl.execute(
          "ALTER TABLE "
              + outbox().table()
              + " ADD CONSTRAINT refuses_retries CHECK (last_error IS NULL OR last_error <> 'HTTP 503')");
    }
    List<String> heard = new CopyOnWriteArrayList<>();
    OutboxListener hearing = keysInto(heard, () -> "");
    publisher.setRule(
        m ->
            switch (m.key()) {
              case "flaky" -> PublishResult.retry("HTTP 503", null);
              case "bad" -> PublishResult.reject("HTTP 400");
              default -> PublishResult.delivered();
            });
    commit(message("ok", "1"), message("flaky", "2"), message("bad", "3"));
    OutboxRelay relay = relay(dataSource(), publisher).listener(hearing).build();

    if (holdsRows()) {
      assertThatThrownBy(relay::runOnce)
          .isInstanceOf(BackendException.class)
          .hasMessageStartingWith(
              "cannot claim, publish and record messages in one transaction in "
                  + outbox().table());
      assertThat(heard).as("a held round's results stand or fall together: none").isEmpty();
      assertThat(claimedBy("2")).as("nothing stays claimed: all are published again").isNull();
      return;
    }
    assertThatThrownBy(relay::runOnce)
        .isInstanceOf(BackendException.class)
        .hasMessageStartingWith("cannot record the results in " + outbox().table());

    assertThat(heard)
        .as("the delivery and the death were recorded and are reported; the retry was not")
        .containsExactly("published ok", "dead bad");
    assertThat(claimedBy("2")).as("the retry stays claimed, to be published again").isNotNull();
  }

  /** A listener that writes what it hears, by message key, with a note taken when it hears it. */
  private static OutboxListener keysInto(List<String> heard, Supplier<String> note) {
    return new OutboxListener() {
      @Override
      public void onPublished(
          String relay, OutboxMessage message, int attempts, Duration sinceCreated) {
        heard.add("published " + message.key() + note.get());
      }

      @Override
      public void onRetryScheduled(
          String relay, OutboxMessage message, int attempts, String error, Duration delay) {
        heard.add("retry " + message.key() + note.get());
      }

      @Override
      public void onDead(String relay, OutboxMessage message, int attempts, String error) {
        heard.add("dead " + message.key() + note.get());
      }

      @Override
      public void onBatch(String relay, int size, Duration took) {
        heard.add("batch of " + size + note.get());
      }
    };
  }

  private void steal(String key) {
    try (Connection connection = database().getConnection();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE " + outbox().table() + " SET claimed_by = ? WHERE msg_key = ?")) {
      update.setString(1, "another-relay");
      update.setString(2, key);
      assertThat(update.executeUpdate()).isOne();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The test's outbox, with the recording listener. */
  private Outbox.Builder heardOutbox() {
    return Outbox.builder().table(outbox().table()).listener(recording);
  }

  /** Commits the connection's transaction, if it is in one. */
  private static void commitIfInTransaction(Connection connection) throws SQLException {
    if (!connection.getAutoCommit()) {
      connection.commit();
    }
  }

  @Test
  void appendsAreToldWithHowManyMessagesAndTheOutboxsName() throws SQLException {
    Outbox byTable = heardOutbox().build();
    Outbox named = heardOutbox().name("orders").build();
    try (Connection connection = dataSource().getConnection()) {
      byTable.append(connection, message("a", "1"));
      byTable.appendAll(connection, List.of(message("b", "2"), message("c", "3")));
      byTable.appendAll(connection, List.of());
      named.appendAll(connection, List.of(message("d", "4"), message("e", "5"), message("f", "6")));
      named.append(connection, message("g", "7"));
      commitIfInTransaction(connection);
    }

    assertThat(byTable.name()).as("by default, the table").isEqualTo(outbox().table());
    assertThat(named.name()).isEqualTo("orders");
    assertThat(events)
        .containsExactly(
            "appended 1 to " + outbox().table(),
            "appended 2 to " + outbox().table(),
            "appended 3 to orders",
            "appended 1 to orders");
    assertThat(relay().build().backlog().pending()).isEqualTo(7);
  }

  @Test
  void anAppendIsToldBeforeItsTransactionEndsSoARolledBackOneCountsToo() throws SQLException {
    try (Connection connection = dataSource().getConnection()) {
      connection.setAutoCommit(false);
      heardOutbox().build().append(connection, message("k", "rolled back"));
      assertThat(events).containsExactly("appended 1 to " + outbox().table());
      connection.rollback();
    }

    assertThat(relay().build().backlog().pending()).isZero();
  }

  @Test
  void anInsertThatFailsIsNotTold() throws SQLException {
    OutboxMessage first = message("a", "first");
    OutboxMessage sameId =
        new OutboxMessage(first.id(), "payments", "b", new byte[0], Map.of(), first.createdAt());
    Outbox heard = heardOutbox().build();
    try (Connection connection = dataSource().getConnection()) {
      assertThatThrownBy(() -> heard.appendAll(connection, List.of(first, sameId)))
          .isInstanceOf(SQLException.class);
      if (!connection.getAutoCommit()) {
        connection.rollback();
      }
    }

    assertThat(events).isEmpty();
  }

  @Test
  void aThrowingListenerDoesNotFailTheAppend() throws SQLException {
    Outbox heard = Outbox.builder().table(outbox().table()).listener(THROWING).build();
    try (Connection connection = dataSource().getConnection()) {
      heard.append(connection, message("a", "1"));
      heard.appendAll(connection, List.of(message("b", "2"), message("c", "3")));
      commitIfInTransaction(connection);
    }

    assertThat(relay().build().backlog().pending()).isEqualTo(3);
  }

  /** Waits until a backlog sample matches, or fails after the time given. */
  private void awaitBacklog(Duration within, String what, Predicate<Backlog> matches) {
    long deadline = System.nanoTime() + within.toNanos();
    while (backlogs.stream().noneMatch(sample -> matches.test(sample.getValue()))) {
      assertThat(System.nanoTime())
          .as("a sample with %s within %s; heard %s", what, within, backlogs)
          .isLessThan(deadline);
      ServerTime.letPass(Duration.ofMillis(10));
    }
  }

  @Test
  void aStartedRelaySamplesItsBacklogEveryIntervalForItsListener() {
    publisher.setRule(
        m ->
            m.key().equals("refused")
                ? PublishResult.reject("HTTP 400")
                : PublishResult.retry("HTTP 503", Duration.ofMinutes(1)));
    commit(message("stuck", "waits a minute"));
    OutboxRelay relay =
        relay()
            .name("sampled")
            .backlogInterval(Duration.ofMillis(100))
            .pollInterval(Duration.ofMillis(20))
            .build();
    relay.start();
    try {
      awaitBacklog(Duration.ofSeconds(10), "one pending", b -> b.pending() == 1 && b.dead() == 0);
      commit(message("refused", "dead at once"));
      awaitBacklog(Duration.ofSeconds(10), "one dead", b -> b.pending() == 1 && b.dead() == 1);
    } finally {
      relay.close();
    }

    assertThat(backlogs).extracting(Map.Entry::getKey).containsOnly("sampled");
    int heard = backlogs.size();
    commit(message("later", "one more"));
    assertThat(relay.runOnce()).isOne();
    assertThat(backlogs).as("a manual round samples nothing").hasSize(heard);
  }

  @Test
  void aStartedRelaySamplesItsBacklogOnceAtOnce() {
    publisher.setRule(m -> PublishResult.retry("HTTP 503", Duration.ofMinutes(1)));
    commit(message("stuck", "waits a minute"));
    OutboxRelay relay = relay().pollInterval(Duration.ofMillis(20)).build(); // every 10 s
    relay.start();
    try {
      awaitBacklog(Duration.ofSeconds(5), "one pending, well before 10 s", b -> b.pending() == 1);
    } finally {
      relay.close();
    }
  }

  @Test
  void aRelayWithoutABacklogIntervalNeverSamples() {
    commit(message("k", "delivered"));
    OutboxRelay relay =
        relay().backlogInterval(Duration.ZERO).pollInterval(Duration.ofMillis(20)).build();
    relay.start();
    try {
      awaitDelivered(1);
      ServerTime.letPass(Duration.ofMillis(300)); // rounds enough for samples at 100 ms
    } finally {
      relay.close();
    }

    assertThat(backlogs).isEmpty();
  }

  @Test
  void aBacklogSampleThatFailsFailsNoRoundAndTheLoopGoesOn() {
    List<Exception> reported = new CopyOnWriteArrayList<>();
    AtomicInteger refusals = new AtomicInteger();
    OutboxRelay relay =
        OutboxRelay.builder(
                RefusedStatements.refusing(dataSource(), "SELECT coalesce(sum(", refusals),
                outbox(),
                publisher)
            .listener(OutboxListener.of(recording, reportingTo(reported)))
            .backlogInterval(Duration.ofMillis(100))
            .pollInterval(Duration.ofMillis(20))
            .build();
    assertThatThrownBy(relay::backlog).isInstanceOf(BackendException.class);
    relay.start();
    try {
      commit(message("k", "first"));
      awaitDelivered(1);
      ServerTime.letPass(Duration.ofMillis(300)); // samples fail meanwhile
      commit(message("k", "second"));
      awaitDelivered(2);
    } finally {
      relay.close();
    }

    assertThat(reported).as("no round failed").isEmpty();
    assertThat(backlogs).isEmpty();
    assertThat(refusals.get()).as("the relay tried to sample, more than once").isGreaterThan(2);
  }

  @Test
  void idsAreTimeOrdered() {
    UUID first = message("k", "1").id();
    UUID second = message("k", "2").id();

    assertThat(first.version()).isEqualTo(7);
    assertThat(second.compareTo(first)).isPositive();
  }

  protected static List<String> payloads(List<OutboxMessage> messages) {
    return messages.stream().map(m -> new String(m.payload(), StandardCharsets.UTF_8)).toList();
  }
}
