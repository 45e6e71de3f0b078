package dev.keelson.outbox;

import dev.keelson.core.internal.Checks;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * One event to publish: where (topic), in which order (messages with the same key are published in
 * the order they were appended), what (payload bytes and headers), with a time-ordered id (UUIDv7,
 * RFC 9562) that consumers use to drop redeliveries.
 *
 * <p>Every message this accepts can be stored and published as it is: topic, key and header values
 * may hold any Unicode text (a {@link WebhookPublisher} percent-encodes what HTTP cannot carry),
 * and what no store or publisher could pass on is refused here, with an {@link
 * IllegalArgumentException} naming the field: unpaired surrogates (they have no UTF-8 form), a
 * U+0000 in the topic or key (PostgreSQL text cannot hold it), header names that are not HTTP
 * tokens or that a webhook sets itself (any {@code Keelson-*}, {@code Host}, {@code
 * Content-Length}, {@code Transfer-Encoding}, {@code Connection}, {@code Keep-Alive}, {@code
 * Proxy-Connection}, {@code TE}, {@code Trailer}, {@code Upgrade}, {@code Expect}, {@code
 * HTTP2-Settings}; compared case-insensitively), two names that differ only in case, more than
 * {@value #MAX_HEADERS} headers, and a topic, key and headers together over {@value
 * #MAX_HEADERS_LENGTH} characters as a webhook sends them (see {@link #MAX_HEADERS_LENGTH}).
 *
 * @param id the message's id, time-ordered
 * @param topic where it goes: 1 to 255 characters
 * @param key what it is about (an order id, an account): 1 to 255 characters; the unit of ordering
 * @param payload the bytes to publish
 * @param headers extra metadata: at most {@value #MAX_HEADERS}, names HTTP tokens of 1 to 255
 *     characters, unique ignoring case
 * @param createdAt when it was made
 */
public record OutboxMessage(
    UUID id,
    String topic,
    String key,
    byte[] payload,
    Map<String, String> headers,
    Instant createdAt) {

  /**
   * The longest headers a message makes a webhook send, in characters as sent: {@code
   * Keelson-Topic}, {@code Keelson-Key} and the message's own headers, each {@code name: value}
   * line with its CRLF and the value percent-encoded where HTTP needs it, each name again in {@code
   * Keelson-Encoded-Headers} if so, and each own header's name in {@code Keelson-Signed-Headers}.
   * With the webhook's other headers (under 500 characters) and a short request line, a request's
   * head stays under the 8 KiB that HTTP servers accept by default (Tomcat, Spring Boot).
   */
  public static final int MAX_HEADERS_LENGTH = 4096;

  /**
   * The most headers a message may have: receivers limit how many a request may carry (Tomcat 100,
   * the JDK's HTTP server 200), and a webhook adds up to 8 of its own to the HTTP client's 6.
   */
  public static final int MAX_HEADERS = 64;

  /** The longest topic, key or header name, in characters. */
  private static final int MAX_NAME_LENGTH = 255;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Object LAST_LOCK = new Object();
  private static long lastMillis; // guarded by LAST_LOCK
  private static long lastSequence; // guarded by LAST_LOCK

  public OutboxMessage {
    Objects.requireNonNull(id, "id");
    checkKey("topic", topic);
    checkKey("key", key);
    payload = Objects.requireNonNull(payload, "payload").clone();
    headers = checkHeaders(topic, key, Objects.requireNonNull(headers, "headers"));
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

  /**
   * Checks a topic or a key: 1 to 255 characters of well-formed text without U+0000.
   *
   * @param what the field, as the message names it
   * @param value the text
   * @return the value
   */
  static String checkKey(String what, String value) {
    Checks.text(what, value, MAX_NAME_LENGTH);
    int nul = value.indexOf('\u0000');
    if (nul >= 0) {
      throw new IllegalArgumentException(
          what + ": has U+0000 at index " + nul + ", which PostgreSQL text cannot hold");
    }
    return value;
  }

  /**
   * A header's share of a webhook request: its {@code name: value} line with its CRLF, and its name
   * with a separator in {@code Keelson-Encoded-Headers} when the value is percent-encoded.
   */
  private static int sentLength(String name, String value) {
    int line = name.length() + 2 + value.length() + 2;
    return HttpText.goesAsItIs(value)
        ? line
        : line - value.length() + HttpText.percentEncoded(value).length() + name.length() + 2;
  }

  /**
   * A checked, unmodifiable copy of the headers, in their order. What the message makes a webhook
   * send is checked too: the topic's and the key's headers and its own, as sent, each own header's
   * name also in {@code Keelson-Signed-Headers}.
   */
  private static Map<String, String> checkHeaders(
      String topic, String key, Map<String, String> headers) {
    if (headers.size() > MAX_HEADERS) {
      throw new IllegalArgumentException(
          "headers: "
              + headers.size()
              + " headers, more than "
              + MAX_HEADERS
              + " (receivers limit how many headers a request may have)");
    }
    Map<String, String> copy = new LinkedHashMap<>();
    Set<String> lowerCaseNames = new HashSet<>();
    long length = sentLength(WebhookPublisher.TOPIC, topic) + sentLength(WebhookPublisher.KEY, key);
    for (Map.Entry<String, String> header : headers.entrySet()) {
      String name = header.getKey();
      Checks.text("header name", name, MAX_NAME_LENGTH);
      if (!HttpText.isToken(name)) {
        throw new IllegalArgumentException(
            "header name: "
                + ErrorText.quoted(name)
                + " is not an HTTP token (letters, digits and !#$%&'*+-.^_`|~)");
      }
      if (HttpText.isReserved(name)) {
        throw new IllegalArgumentException(
            "header name: " + ErrorText.quoted(name) + " is reserved: a webhook sets it itself");
      }
      if (!lowerCaseNames.add(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "header name: "
                + ErrorText.quoted(name)
                + " is there twice (header names ignore case)");
      }
      String value = Checks.wellFormed("header " + name, header.getValue());
      copy.put(name, value);
      length += sentLength(name, value) + name.length() + 2;
    }
    if (length > MAX_HEADERS_LENGTH) {
      throw new IllegalArgumentException(
          "headers: "
              + length
              + " characters as sent over HTTP with the topic and key (each 'name: value' line,"
              + " values percent-encoded where needed, and the names listed), more than "
              + MAX_HEADERS_LENGTH);
    }
    return Collections.unmodifiableMap(copy);
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
