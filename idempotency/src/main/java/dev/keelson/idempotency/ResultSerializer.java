package dev.keelson.idempotency;

import java.nio.charset.StandardCharsets;

/**
 * Turns a result into the bytes an idempotency store keeps, and back. Replays return what {@link
 * #deserialize} gives, so it must restore everything the caller's response depends on.
 *
 * @param <T> the result
 */
public interface ResultSerializer<T> {

  /** Bytes as they are. */
  ResultSerializer<byte[]> BYTES =
      new ResultSerializer<>() {
        @Override
        public byte[] serialize(byte[] result) {
          return result;
        }

        @Override
        public byte[] deserialize(byte[] stored) {
          return stored;
        }
      };

  /** Text as UTF-8. */
  ResultSerializer<String> UTF8 =
      new ResultSerializer<>() {
        @Override
        public byte[] serialize(String result) {
          return result.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String deserialize(byte[] stored) {
          return new String(stored, StandardCharsets.UTF_8);
        }
      };

  byte[] serialize(T result);

  T deserialize(byte[] stored);
}
