package dev.keelson.idempotency;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a request asked for, as a SHA-256 digest: the same key sent with a different fingerprint is
 * a conflicting reuse. Build it from the parts of the request that define its effect (method, path,
 * body, the headers that change the meaning), not from parts that vary between honest retries
 * (timestamps, tracing headers).
 *
 * <pre>{@code
 * Fingerprint fingerprint = Fingerprint.builder()
 *     .add("method", "POST")
 *     .add("path", "/payments")
 *     .add("content-type", request.header("Content-Type"))
 *     .add("body", request.body())
 *     .build();
 * }</pre>
 *
 * @param hex the digest: 64 lower-case hex digits
 */
public record Fingerprint(String hex) {

  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

  public Fingerprint {
    Objects.requireNonNull(hex, "hex");
    if (!HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("hex: must be 64 lower-case hex digits (a SHA-256)");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Digests named parts in order. Each name and value is length-prefixed, so no two different
   * sequences of parts give the same input to the hash ("ab" + "c" differs from "a" + "bc").
   */
  public static final class Builder {
    private final MessageDigest digest;

    private Builder() {
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every JDK has SHA-256", e);
      }
    }

    /**
     * @param name the part's name, as "method"
     * @param value its text (UTF-8); null is digested as absent, distinct from empty
     * @return this builder
     */
    public Builder add(String name, @Nullable String value) {
      return add(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param name the part's name, as "body"
     * @param value its bytes; null is digested as absent, distinct from empty
     * @return this builder
     */
    public Builder add(String name, byte @Nullable [] value) {
      Objects.requireNonNull(name, "name");
      lengthPrefixed(name.getBytes(StandardCharsets.UTF_8));
      if (value == null) {
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(-1).array());
      } else {
        lengthPrefixed(value);
      }
      return this;
    }

    private void lengthPrefixed(byte[] bytes) {
      digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(bytes.length).array());
      digest.update(bytes);
    }

    /**
     * @return the fingerprint; the builder is spent
     */
    public Fingerprint build() {
      return new Fingerprint(HexFormat.of().formatHex(digest.digest()));
    }
  }
}
