package dev.keelson.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a message refuses at construction: whatever no store or publisher could pass on intact. */
class OutboxMessageTest {

  private static OutboxMessage message() {
    return OutboxMessage.of("payments", "order-7", new byte[0]);
  }

  @Test
  void aTopicOrKeyWithAnUnpairedSurrogateIsRefused() {
    assertThatThrownBy(() -> OutboxMessage.of("payments", "order-\uD800", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("key: has an unpaired surrogate (U+D800) at index 6");
    assertThatThrownBy(() -> OutboxMessage.of("\uDC00", "k", new byte[0]))
        .hasMessageStartingWith("topic: has an unpaired surrogate");
    assertThat(OutboxMessage.of("t", "emoji \uD83D\uDE00", new byte[0]).key())
        .as("a pair is fine")
        .isEqualTo("emoji 😀");
  }

  @Test
  void aTopicOrKeyWithANulIsRefused() {
    assertThatThrownBy(() -> OutboxMessage.of("payments", "a\u0000b", new byte[0]))
        .hasMessage("key: has U+0000 at index 1, which PostgreSQL text cannot hold");
  }

  @Test
  void aHeaderValueWithAnUnpairedSurrogateIsRefused() {
    assertThatThrownBy(() -> message().withHeader("X-Value", "\uD800"))
        .hasMessageStartingWith("header X-Value: has an unpaired surrogate");
  }

  @Test
  void aHeaderNameMustBeAnHttpToken() {
    for (String name : new String[] {"a b", "a:b", "a\nb", "Zürich", "(x)", "a/b", "x=y"}) {
      assertThatThrownBy(() -> message().withHeader(name, "v"))
          .as(name)
          .hasMessage(
              "header name: '"
                  + name.replace("\n", "\\u000A") // quoted: no line break in an error
                  + "' is not an HTTP token (letters, digits and !#$%&'*+-.^_`|~)");
    }
    assertThat(message().withHeader("X-Trace_id.1!#$%&'*+^`|~", "v").headers()).hasSize(1);
  }

  @Test
  void headersTheWebhookSetsItselfAreReservedWhateverTheirCase() {
    for (String name :
        new String[] {
          "Keelson-Signature",
          "keelson-message-id",
          "KEELSON-TOPIC",
          "Keelson-Key",
          "Keelson-Timestamp",
          "Keelson-Encoded-Headers",
          "Keelson-Anything",
          "Host",
          "content-length",
          "Transfer-Encoding",
          "Connection",
          "Upgrade",
          "Expect",
          "TE",
          "Trailer"
        }) {
      assertThatThrownBy(() -> message().withHeader(name, "v"))
          .as(name)
          .hasMessage("header name: '" + name + "' is reserved: a webhook sets it itself");
    }
    assertThat(message().withHeader("Content-Type", "application/json").headers())
        .containsEntry("Content-Type", "application/json");
  }

  @Test
  void aHeaderCannotBeThereTwiceInAnyCase() {
    assertThatThrownBy(() -> message().withHeader("X-Trace", "1").withHeader("x-trace", "2"))
        .hasMessage("header name: 'x-trace' is there twice (header names ignore case)");
  }

  @Test
  void headersAreBoundedAsTheyAreSentWithTheTopicAndKey() {
    // "Keelson-Topic: payments" and "Keelson-Key: order-7", each with its CRLF: 47 characters.
    // A header: "X: " + value + CRLF, and "x, " in Keelson-Signed-Headers: the value and 8 more.
    String ascii = "a".repeat(OutboxMessage.MAX_HEADERS_LENGTH - 47 - 8);
    assertThat(message().withHeader("X", ascii).headers()).hasSize(1);

    assertThatThrownBy(() -> message().withHeader("X", ascii + "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "headers: 4097 characters as sent over HTTP with the topic and key");
    // Sent as %0A each: 4,041, and 3 more for "x, " in Keelson-Encoded-Headers.
    String lineFeeds = "\n".repeat(1347);
    assertThatThrownBy(() -> message().withHeader("X", lineFeeds))
        .hasMessageStartingWith("headers: 4099 characters as sent");
    OutboxMessage many = message();
    String value = "v".repeat(52);
    for (int i = 0; i < 63; i++) {
      many = many.withHeader("X" + (10 + i), value); // "X10: ", CRLF, "x10, " and 52: 64 each
    }
    OutboxMessage full = many;
    assertThatThrownBy(() -> full.withHeader("Y10", value))
        .as("the lines and the lists count: names and values alone are 3,520")
        .hasMessageStartingWith("headers: 4143 characters as sent");
  }

  @Test
  void aMessageHasAtMost64Headers() {
    OutboxMessage most = message();
    for (int i = 0; i < OutboxMessage.MAX_HEADERS; i++) {
      most = most.withHeader("X" + i, "");
    }
    OutboxMessage full = most;
    assertThatThrownBy(() -> full.withHeader("Y", ""))
        .hasMessageStartingWith("headers: 65 headers, more than 64");
  }

  @Test
  void theTopicAndKeyCountAsTheyAreSent() {
    // CJK text: three UTF-8 bytes a character, nine characters percent-encoded.
    String cjk = "東".repeat(225);
    // "Keelson-Topic: " and "Keelson-Key: " with 2,025 each, two CRLFs, "keelson-topic, " and
    // "keelson-key, " in Keelson-Encoded-Headers: 4,110.
    assertThatThrownBy(() -> OutboxMessage.of(cjk, cjk, new byte[0]))
        .hasMessageStartingWith("headers: 4110 characters as sent");
    assertThat(OutboxMessage.of(cjk, cjk.substring(2), new byte[0]).key())
        .as("18 characters fewer: 4,092")
        .hasSize(223);
  }

  @Test
  void theHeadersMapIsCheckedLikeWithHeader() {
    assertThatThrownBy(
            () ->
                new OutboxMessage(
                    message().id(),
                    "t",
                    "k",
                    new byte[0],
                    Map.of("Host", "x"),
                    message().createdAt()))
        .hasMessageStartingWith("header name: 'Host' is reserved");
  }
}
