package dev.keelson.core.internal.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A Lua script loaded from a resource file, with the SHA-1 digest Redis knows it by. Immutable and
 * safe to share; load each script once and keep it in a constant.
 *
 * @param <T> the Java type of the script's reply
 */
public final class RedisScript<T> {

  private final String name;
  private final String source;
  private final String sha1;
  private final ScriptResult<T> result;

  private RedisScript(String name, String source, ScriptResult<T> result) {
    this.name = name;
    this.source = source;
    this.sha1 = sha1Hex(source);
    this.result = result;
  }

  /**
   * Loads a script kept as a resource beside a class.
   *
   * @param anchor the class whose package holds the resource
   * @param resourceName the file name, for example {@code "token_bucket.lua"}
   * @param result how to read the script's reply
   * @param <T> the reply's Java type
   * @return the script
   * @throws IllegalArgumentException if the resource does not exist or is blank
   */
  public static <T> RedisScript<T> fromResource(
      Class<?> anchor, String resourceName, ScriptResult<T> result) {
    Objects.requireNonNull(anchor, "anchor");
    Objects.requireNonNull(resourceName, "resourceName");
    Objects.requireNonNull(result, "result");
    String source;
    try (InputStream in = anchor.getResourceAsStream(resourceName)) {
      if (in == null) {
        throw new IllegalArgumentException(
            "resourceName: no script '"
                + resourceName
                + "' beside "
                + anchor.getName()
                + " (expected in package "
                + anchor.getPackageName()
                + ")");
      }
      source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read script '" + resourceName + "'", e);
    }
    return of(resourceName, source, result);
  }

  /**
   * A script from source text, for scripts that are not resource files.
   *
   * @param name a name for messages and logs
   * @param source the Lua source
   * @param result how to read the script's reply
   * @param <T> the reply's Java type
   * @return the script
   * @throws IllegalArgumentException if the source is blank
   */
  public static <T> RedisScript<T> of(String name, String source, ScriptResult<T> result) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(result, "result");
    if (source.isBlank()) {
      throw new IllegalArgumentException("source: script '" + name + "' is empty");
    }
    return new RedisScript<>(name, source, result);
  }

  /**
   * The name given when loaded (the resource file name).
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * The Lua source.
   *
   * @return the source
   */
  public String source() {
    return source;
  }

  /**
   * The lower-case hex SHA-1 digest of the source, as {@code EVALSHA} expects it.
   *
   * @return the digest
   */
  public String sha1() {
    return sha1;
  }

  /**
   * How the reply is read.
   *
   * @return the result type
   */
  public ScriptResult<T> result() {
    return result;
  }

  @Override
  public String toString() {
    return "RedisScript[" + name + ", sha1=" + sha1 + ", result=" + result + "]";
  }

  private static String sha1Hex(String source) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-1");
      return HexFormat.of().formatHex(digest.digest(source.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM must provide SHA-1", e);
    }
  }
}
