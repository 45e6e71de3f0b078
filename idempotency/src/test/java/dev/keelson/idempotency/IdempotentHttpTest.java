package dev.keelson.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IdempotentHttpTest {

  private final StoredResponse created =
      new StoredResponse(
          201,
          Map.of("Location", List.of("/payments/7"), "Set-Cookie", List.of("a=1", "b=2")),
          "{\"id\":7}".getBytes(StandardCharsets.UTF_8));

  @Test
  void aStoredResponseSurvivesItsSerializedForm() {
    byte[] bytes = StoredResponse.SERIALIZER.serialize(created);

    assertThat(StoredResponse.SERIALIZER.deserialize(bytes)).isEqualTo(created);
    assertThatThrownBy(
            () -> StoredResponse.SERIALIZER.deserialize(java.util.Arrays.copyOf(bytes, 9)))
        .hasMessageContaining("truncated or corrupt");
  }

  @Test
  void outcomesMapToTheDraftsStatusCodes() {
    assertThat(IdempotentHttp.respond(new Outcome.Executed<>(created))).isEqualTo(created);

    StoredResponse replayed = IdempotentHttp.respond(new Outcome.Replayed<>(created));
    assertThat(replayed.status()).isEqualTo(201);
    assertThat(replayed.body()).isEqualTo(created.body());
    assertThat(replayed.headers()).containsEntry("Idempotent-Replayed", List.of("true"));

    StoredResponse busy = IdempotentHttp.respond(new Outcome.InProgress<>(Duration.ofMillis(1500)));
    assertThat(busy.status()).isEqualTo(409);
    assertThat(busy.headers()).containsEntry("Retry-After", List.of("2"));

    assertThat(IdempotentHttp.respond(new Outcome.Mismatch<>()).status()).isEqualTo(422);

    StoredResponse tooLate = IdempotentHttp.respond(new Outcome.LeaseLost<>(created));
    assertThat(tooLate.status()).as("the client's retry gets the stored result").isEqualTo(409);
    assertThat(tooLate.headers()).containsEntry("Retry-After", List.of("1"));

    StoredResponse notKept = IdempotentHttp.respond(new Outcome.CompletedWithoutResult<>());
    assertThat(notKept.status()).isEqualTo(409);
    assertThat(notKept.headers())
        .as("not a replay of the stored response, and nothing to wait for")
        .doesNotContainKeys("Idempotent-Replayed", "Retry-After");
    assertThat(new String(notKept.body(), java.nio.charset.StandardCharsets.UTF_8))
        .contains("already processed")
        .contains("do not retry");
  }

  @Test
  void headersOfAnyLengthSurviveTheStoredForm() {
    String huge = "x".repeat(70_000) + "é";
    StoredResponse response =
        new StoredResponse(
            200,
            Map.of("X-Huge", List.of(huge), "Y".repeat(70_000), List.of("v")),
            new byte[] {1, 2});

    byte[] stored = StoredResponse.SERIALIZER.serialize(response);

    assertThat(StoredResponse.SERIALIZER.deserialize(stored)).isEqualTo(response);
  }

  @Test
  void aResponseWhoseStringsFitIsWrittenInTheFormatEveryVersionReads() {
    StoredResponse response =
        new StoredResponse(201, Map.of("Location", List.of("/payments/7")), new byte[] {1});

    byte[] stored = StoredResponse.SERIALIZER.serialize(response);

    assertThat(stored[0]).as("format 1").isEqualTo((byte) 1);
    assertThat(StoredResponse.SERIALIZER.deserialize(stored)).isEqualTo(response);
  }

  @Test
  void responsesStoredInTheFirstFormatStillReplay() throws java.io.IOException {
    var bytes = new java.io.ByteArrayOutputStream();
    try (var out = new java.io.DataOutputStream(bytes)) {
      out.writeByte(1);
      out.writeShort(201);
      out.writeInt(1);
      out.writeUTF("Location");
      out.writeInt(1);
      out.writeUTF("/payments/7");
      out.writeInt(2);
      out.write(new byte[] {'o', 'k'});
    }

    assertThat(StoredResponse.SERIALIZER.deserialize(bytes.toByteArray()))
        .isEqualTo(
            new StoredResponse(
                201, Map.of("Location", List.of("/payments/7")), new byte[] {'o', 'k'}));
  }

  @Test
  void aMissingOrBadKeyIsA400AndABadNamespaceIsTheServersBug() {
    assertThat(IdempotentHttp.key("tenant-7", " k1 "))
        .isEqualTo(IdempotencyKey.of("tenant-7", "k1"));
    assertThatThrownBy(() -> IdempotentHttp.key("tenant-7", null))
        .isInstanceOfSatisfying(
            IdempotentHttp.BadKey.class, e -> assertThat(e.response().status()).isEqualTo(400))
        .hasMessageContaining("required");
    assertThatThrownBy(() -> IdempotentHttp.key("tenant-7", "k".repeat(300)))
        .isInstanceOf(IdempotentHttp.BadKey.class)
        .hasMessageContaining("255");
    assertThatThrownBy(() -> IdempotentHttp.key("", "k1"))
        .isInstanceOf(IllegalArgumentException.class)
        .isNotInstanceOf(IdempotentHttp.BadKey.class);
  }

  @Test
  void aStatusOutsideHttpsRangeIsRejected() {
    assertThatThrownBy(() -> new StoredResponse(99, Map.of(), new byte[0]))
        .hasMessageStartingWith("status: 99");
  }
}
