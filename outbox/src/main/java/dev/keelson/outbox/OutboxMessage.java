package dev.keelson.outbox;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One event to publish: where (topic), in which order (messages with the same key are published in
 * the order they were appended), what (payload bytes and headers), with a time-ordered id (UUIDv7,
 * RFC 9562) that consumers use to drop redeliveries.
 *
 * @param id the message's id, time-ordered
 * @param topic where it goes: 1 to 255 characters
 * @param key what it is about (an order id, an account): 1 to 255 characters; the unit of ordering
 * @param payload the bytes to publish
 * @param headers extra metadata, names 1 to 255 characters
 * @param createdAt when it was made
 */
public record OutboxMessage(
    UUID id,
    String topic,
    String key,
    byte[] payload,
    Map<String, String> headers,
    Instant createdAt) {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Object LAST_LOCK = new Object();
  private static long lastMillis; // guarded by LAST_LOCK
  private static long lastSequence; // guarded by LAST_LOCK

  public OutboxMessage {
    Objects.requireNonNull(id, "id");
    checkName("topic", topic);
    checkName("key", key);
    payload = Objects.requireNonNull(payload, "payload").clone();
    Map<String, String> copy = new LinkedHashMap<>();
    Objects.requireNonNull(headers, "headers")
        .forEach(
            (name, value) -> {
              checkName("header name", name);
              copy.put(name, Objects.requireNonNull(value, "header " + name));
            });
    headers = java.util.Collections.unmodifiableMap(copy);
    Objects.requireNonNull(createdAt, "createdAt");
  }

  /**
   * A message with a new id, made now.
   *
   * @param topic where it goes
   * @param key what it is about: the unit of ordering
   * @param payload the bytes to publish
   * @return the message, without headers
   */
  public static OutboxMessage of(String topic, String key, byte[] payload) {
    // Databases keep microseconds: a message read back equals the one appended.
    Instant now = Clock.systemUTC().instant().truncatedTo(ChronoUnit.MICROS);
    return new OutboxMessage(newId(now.toEpochMilli()), topic, key, payload, Map.of(), now);
  }

  /**
   * @param name the header's name
   * @param value its value
   * @return a copy of this message with the header added
   */
  public OutboxMessage withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new OutboxMessage(id, topic, key, payload, more, createdAt);
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /**
   * A UUIDv7: 48 bits of Unix milliseconds, then a counter that keeps ids made in the same
   * millisecond in order in this JVM, then random bits.
   */
  static UUID newId(long epochMillis) {
    long millis;
    long sequence;
    synchronized (LAST_LOCK) {
      if (epochMillis > lastMillis) {
        lastMillis = epochMillis;
        lastSequence = RANDOM.nextInt(1 << 10); // leave room to count up within the millisecond
      } else {
        lastSequence++;
        if (lastSequence >= 1 << 12) {
          lastMillis++; // more than 3,000 ids in a millisecond: borrow from the next one
          lastSequence = 0;
        }
      }
      millis = lastMillis;
      sequence = lastSequence;
    }
    long high = (millis << 16) | (0x7L << 12) | sequence;
    long low = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low);
  }

  private static void checkName(String what, String value) {
    Objects.requireNonNull(value, what);
    if (value.isEmpty() || value.length() > 255) {
      throw new IllegalArgumentException(
          what + ": must be 1 to 255 characters, not " + value.length());
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof OutboxMessage that
        && id.equals(that.id)
        && topic.equals(that.topic)
        && key.equals(that.key)
        && Arrays.equals(payload, that.payload)
        && headers.equals(that.headers)
        && createdAt.equals(that.createdAt);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "OutboxMessage[" + id + ", " + topic + ", " + key + ", " + payload.length + " bytes]";
  }
}
