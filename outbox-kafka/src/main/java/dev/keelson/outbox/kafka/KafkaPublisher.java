package dev.keelson.outbox.kafka;

import dev.keelson.core.internal.Checks;
import dev.keelson.outbox.OutboxMessage;
import dev.keelson.outbox.PublishResult;
import dev.keelson.outbox.Publisher;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Headers;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes outbox messages to Kafka: each message goes to its topic (or the one the mapping
 * gives), keyed by the message's key, so a key's messages stay in order within its partition, with
 * the message's headers and its id ({@value #ID_HEADER}) as headers, for consumers to drop
 * redeliveries.
 *
 * <p>The producer is idempotent and every write is acknowledged by all in-sync replicas: settings
 * that would break either are refused when the publisher is built ({@code enable.idempotence},
 * {@code acks}, a {@code transactional.id}, serializers other than bytes). A relay's batch is sent
 * at once, asynchronously, and flushed once; each message's result comes from its own callback:
 * delivered once acknowledged; dead-lettered, with the broker's message, for errors no retry can
 * mend (a record too large, an unknown or invalid topic, no authorization, a serialization error);
 * retried after the relay's backoff for everything else, timeouts and retriable errors first. What
 * is not acknowledged by the relay's deadline is retried; if Kafka stores it later, the retry is a
 * redelivery, which consumers drop by id.
 *
 * <pre>{@code
 * KafkaPublisher kafka = KafkaPublisher.on(Map.of("bootstrap.servers", "kafka:9092"));
 * OutboxRelay relay = OutboxRelay.builder(dataSource, outbox, kafka).build();
 * }</pre>
 *
 * <p>Close it when the relays are closed: it closes its producer.
 */
public final class KafkaPublisher implements Publisher, AutoCloseable {

  /**
   * The header that carries the message's id (a UUID, as text), unless the builder names another.
   */
  public static final String ID_HEADER = "keelson-id";

  private static final Logger log = LoggerFactory.getLogger(KafkaPublisher.class);

  private final Map<String, Object> settings;
  private final Function<OutboxMessage, String> topic;
  private final BiConsumer<OutboxMessage, Headers> headers;
  private final String idHeader;
  private final ExecutorService sender;
  private @Nullable Producer<byte[], byte[]> producer; // sender thread only
  private volatile boolean producerBroken;
  private @Nullable Admin admin; // guarded by this

  private KafkaPublisher(Builder builder) {
    this.settings = builder.settings;
    this.topic = builder.topic;
    this.headers = builder.headers;
    this.idHeader = builder.idHeader;
    this.producer = newProducer(); // fails now, with the client's message, for a bad setting
    this.sender =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread thread = new Thread(task, "keelson-kafka-publisher");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * @param config the producer's configuration: {@code bootstrap.servers} at least, and whatever
   *     else your brokers need (security, compression, linger)
   * @return a builder
   * @throws IllegalArgumentException if a setting breaks a promise of the outbox (see the class)
   */
  public static Builder builder(Map<String, ?> config) {
    return new Builder(ProducerSettings.of(config));
  }

  /**
   * @param config the producer's configuration (see {@link #builder})
   * @return a publisher with every default: each message to its own topic
   * @throws IllegalArgumentException if a setting breaks a promise of the outbox, or the client
   *     refuses one
   */
  public static KafkaPublisher on(Map<String, ?> config) {
    return builder(config).build();
  }

  /** Sends the batch with no deadline of its own: the producer's delivery timeout bounds it. */
  @Override
  public CompletionStage<List<PublishResult>> publish(List<OutboxMessage> batch) {
    return send(batch, null);
  }

  @Override
  public CompletionStage<List<PublishResult>> publish(
      List<OutboxMessage> batch, Duration timeLeft) {
    return send(batch, timeLeft);
  }

  private CompletionStage<List<PublishResult>> send(
      List<OutboxMessage> batch, @Nullable Duration timeLeft) {
    List<CompletableFuture<PublishResult>> results = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      CompletableFuture<PublishResult> result = new CompletableFuture<>();
      if (timeLeft != null) {
        result.completeOnTimeout(
            PublishResult.retry("not acknowledged by Kafka within the relay's deadline", null),
            Math.max(0, timeLeft.toNanos()),
            TimeUnit.NANOSECONDS);
      }
      results.add(result);
    }
    try {
      sender.execute(() -> sendAndFlush(batch, results));
    } catch (RejectedExecutionException e) {
      results.forEach(
          result -> result.complete(PublishResult.retry("the publisher is closed", null)));
    }
    return CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0]))
        .thenApply(done -> results.stream().map(CompletableFuture::join).toList());
  }

  /** On the sender thread: every message sent, then one flush for the batch. */
  private void sendAndFlush(
      List<OutboxMessage> batch, List<CompletableFuture<PublishResult>> results) {
    Producer<byte[], byte[]> current;
    try {
      current = producer();
    } catch (RuntimeException e) { // a replacement the client refused: retried, never left open
      results.forEach(
          result ->
              result.complete(PublishResult.retry("no producer: " + SendErrors.text(e), null)));
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      CompletableFuture<PublishResult> result = results.get(i);
      if (result.isDone()) {
        // Past the relay's deadline (answered retry): sending it now would only make a duplicate,
        // and a send that waits for metadata would hold up the batches behind it.
        continue;
      }
      ProducerRecord<byte[], byte[]> record;
      try {
        record = record(batch.get(i));
      } catch (RuntimeException e) { // the topic or header mapping failed: the same again next time
        result.complete(PublishResult.reject("cannot make a record of it: " + SendErrors.text(e)));
        continue;
      }
      try {
        current.send(record, (metadata, error) -> settle(result, record.topic(), error));
      } catch (
          RuntimeException e) { // thrown, not told: serialization, an interrupt, a closed client
        settle(result, record.topic(), e);
      }
    }
    try {
      current.flush();
    } catch (RuntimeException e) {
      // Each record's own callback tells its result; what is left, the deadline answers.
      log.debug("flushing a batch of {} failed: {}", batch.size(), e.toString());
    }
  }

  private ProducerRecord<byte[], byte[]> record(OutboxMessage message) {
    String destination =
        Objects.requireNonNull(topic.apply(message), "the topic mapping gave no topic");
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            destination, message.key().getBytes(StandardCharsets.UTF_8), message.payload());
    headers.accept(message, record.headers());
    record.headers().remove(idHeader).add(idHeader, bytes(message.id().toString()));
    return record;
  }

  /** A send's outcome, from its callback (on the producer's thread: nothing here may block). */
  private void settle(
      CompletableFuture<PublishResult> result, String destination, @Nullable Exception error) {
    if (error == null) {
      result.complete(PublishResult.delivered());
      return;
    }
    if (SendErrors.breaksTheProducer(error)) {
      producerBroken = true; // the sender thread replaces it before the next batch
    }
    if (error instanceof TimeoutException
        && error.getMessage() != null
        && error.getMessage().contains("not present in metadata")) {
      checkTopic(destination, error, result);
      return;
    }
    result.complete(SendErrors.resultOf(error));
  }

  /**
   * A topic the producer found no metadata for: unknown to the brokers (dead, with their answer) or
   * not reachable now (retried). Asked without blocking: the answer completes the result.
   */
  private void checkTopic(
      String destination, Exception timeout, CompletableFuture<PublishResult> result) {
    admin()
        .describeTopics(List.of(destination))
        .allTopicNames()
        .whenComplete(
            (topics, error) -> {
              Throwable cause =
                  error == null ? null : error.getCause() == null ? error : error.getCause();
              result.complete(
                  cause instanceof UnknownTopicOrPartitionException
                      ? PublishResult.reject("topic " + destination + ": " + cause.getMessage())
                      : SendErrors.resultOf(timeout));
            });
  }

  private Producer<byte[], byte[]> producer() {
    Producer<byte[], byte[]> current = producer;
    if (current != null && !producerBroken) {
      return current;
    }
    if (current != null) {
      log.warn("the Kafka producer is broken; replacing it");
      current.close(Duration.ZERO);
    }
    producerBroken = false;
    producer = null;
    Producer<byte[], byte[]> fresh = newProducer();
    producer = fresh;
    return fresh;
  }

  private Producer<byte[], byte[]> newProducer() {
    try {
      return new KafkaProducer<>(settings);
    } catch (KafkaException e) {
      throw new IllegalArgumentException(
          "the Kafka producer refused its settings: " + e.getMessage(), e);
    }
  }

  private synchronized Admin admin() {
    Admin current = admin;
    if (current == null) {
      current = Admin.create(ProducerSettings.forAdmin(settings));
      admin = current;
    }
    return current;
  }

  /** Stops sending: the batch in hand is flushed first, for up to five seconds. */
  @Override
  public void close() {
    sender.shutdown();
    try {
      if (!sender.awaitTermination(5, TimeUnit.SECONDS)) {
        sender.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Producer<byte[], byte[]> current = producer;
    if (current != null) {
      current.close(Duration.ofSeconds(5));
    }
    synchronized (this) {
      if (admin != null) {
        admin.close(Duration.ofSeconds(5));
      }
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** The message's own headers, as UTF-8: what the publisher sends unless told otherwise. */
  static void copyHeaders(OutboxMessage message, Headers headers) {
    message.headers().forEach((name, value) -> headers.add(name, bytes(value)));
  }

  /** Settings of a {@link KafkaPublisher}. */
  public static final class Builder {
    private final Map<String, Object> settings;
    private Function<OutboxMessage, String> topic = OutboxMessage::topic;
    private BiConsumer<OutboxMessage, Headers> headers = KafkaPublisher::copyHeaders;
    private String idHeader = ID_HEADER;

    private Builder(Map<String, Object> settings) {
      this.settings = settings;
    }

    /**
     * @param topic the Kafka topic of each message (default: the message's topic); a mapping that
     *     throws or gives null dead-letters the message, with its error
     * @return this builder
     */
    public Builder topic(Function<OutboxMessage, String> topic) {
      this.topic = Objects.requireNonNull(topic, "topic");
      return this;
    }

    /**
     * @param prefix put before each message's topic: {@code "orders."} sends topic {@code created}
     *     to {@code orders.created}; 1 to 200 characters
     * @return this builder
     */
    public Builder topicPrefix(String prefix) {
      String checked = Checks.text("topicPrefix", prefix, 200);
      if (checked.isEmpty()) {
        throw new IllegalArgumentException("topicPrefix: must not be empty");
      }
      return topic(message -> checked + message.topic());
    }

    /**
     * @param headers writes each message's Kafka headers (default: the message's own headers, as
     *     UTF-8); the id header is added after it, whatever it wrote under that name
     * @return this builder
     */
    public Builder headers(BiConsumer<OutboxMessage, Headers> headers) {
      this.headers = Objects.requireNonNull(headers, "headers");
      return this;
    }

    /**
     * @param name the header that carries the message's id (default {@value #ID_HEADER}); 1 to 64
     *     characters of well-formed text
     * @return this builder
     */
    public Builder idHeader(String name) {
      String checked = Checks.text("idHeader", name, 64);
      if (checked.isBlank()) {
        throw new IllegalArgumentException("idHeader: must not be blank");
      }
      this.idHeader = checked;
      return this;
    }

    /**
     * @return the publisher, with its producer built
     * @throws IllegalArgumentException if the client refuses a setting
     */
    public KafkaPublisher build() {
      return new KafkaPublisher(this);
    }
  }
}
