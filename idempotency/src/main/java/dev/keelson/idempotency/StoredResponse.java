package dev.keelson.idempotency;

import dev.keelson.core.internal.Checks;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An HTTP-like response to store and replay: status, headers (names as given, several values each,
 * in order) and body bytes. {@link #SERIALIZER} keeps it in a compact binary form.
 *
 * @param status the status code, 100 to 599
 * @param headers the headers to replay (leave out per-connection ones such as {@code Date})
 * @param body the body
 */
public record StoredResponse(int status, Map<String, List<String>> headers, byte[] body) {

  /**
   * A versioned binary form: status, headers, body. Header names and values of any length: a
   * response whose strings all fit 64 KiB is written in format 1, which every version reads, and
   * one with a longer string in format 2, which this version reads too.
   */
  public static final ResultSerializer<StoredResponse> SERIALIZER = new Serializer();

  private static final int FORMAT_WITH_SHORT_STRINGS = 1;
  private static final int FORMAT = 2;

  public StoredResponse {
    Checks.between("status", status, 100, 599);
    Map<String, List<String>> copy = new LinkedHashMap<>();
    Objects.requireNonNull(headers, "headers")
        .forEach((name, values) -> copy.put(Objects.requireNonNull(name), List.copyOf(values)));
    headers = java.util.Collections.unmodifiableMap(copy);
    body = Objects.requireNonNull(body, "body").clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StoredResponse that
        && status == that.status
        && headers.equals(that.headers)
        && Arrays.equals(body, that.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, headers, Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return "StoredResponse[" + status + ", " + headers + ", " + body.length + " bytes]";
  }

  private static final class Serializer implements ResultSerializer<StoredResponse> {
    @Override
    public byte[] serialize(StoredResponse response) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + response.body.length);
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        int format = longestStringFitsWriteUtf(response) ? FORMAT_WITH_SHORT_STRINGS : FORMAT;
        out.writeByte(format);
        out.writeShort(response.status);
        out.writeInt(response.headers.size());
        for (Map.Entry<String, List<String>> header : response.headers.entrySet()) {
          writeString(out, header.getKey(), format);
          out.writeInt(header.getValue().size());
          for (String value : header.getValue()) {
            writeString(out, value, format);
          }
        }
        out.writeInt(response.body.length);
        out.write(response.body);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot happen in memory", e);
      }
      return bytes.toByteArray();
    }

    @Override
    public StoredResponse deserialize(byte[] stored) {
      try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored))) {
        int format = in.readUnsignedByte();
        if (format != FORMAT && format != FORMAT_WITH_SHORT_STRINGS) {
          throw new IllegalStateException("stored response in unknown format " + format);
        }
        int status = in.readUnsignedShort();
        int headerCount = in.readInt();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int h = 0; h < headerCount; h++) {
          String name = readString(in, format);
          String[] values = new String[in.readInt()];
          for (int v = 0; v < values.length; v++) {
            values[v] = readString(in, format);
          }
          headers.put(name, List.of(values));
        }
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        return new StoredResponse(status, headers, body);
      } catch (IOException e) {
        throw new IllegalStateException("stored response is truncated or corrupt", e);
      }
    }

    private static boolean longestStringFitsWriteUtf(StoredResponse response) {
      for (Map.Entry<String, List<String>> header : response.headers.entrySet()) {
        if (!fitsWriteUtf(header.getKey())) {
          return false;
        }
        for (String value : header.getValue()) {
          if (!fitsWriteUtf(value)) {
            return false;
          }
        }
      }
      return true;
    }

    /** {@code writeUTF} takes at most 65,535 bytes of its modified UTF-8. */
    private static boolean fitsWriteUtf(String text) {
      if (text.length() > 65_535) {
        return false;
      }
      long bytes = 0;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        bytes += c >= 1 && c <= 0x7F ? 1 : c <= 0x7FF ? 2 : 3;
      }
      return bytes <= 65_535;
    }

    /** Format 2: a length and UTF-8 bytes, without {@code writeUTF}'s limit of 64 KiB. */
    private static void writeString(DataOutputStream out, String text, int format)
        throws IOException {
      if (format == FORMAT_WITH_SHORT_STRINGS) {
        out.writeUTF(text);
        return;
      }
      byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
      out.writeInt(utf8.length);
      out.write(utf8);
    }

    private static String readString(DataInputStream in, int format) throws IOException {
      if (format == FORMAT_WITH_SHORT_STRINGS) {
        return in.readUTF();
      }
      byte[] utf8 = new byte[in.readInt()];
      in.readFully(utf8);
      return new String(utf8, StandardCharsets.UTF_8);
    }
  }
}
