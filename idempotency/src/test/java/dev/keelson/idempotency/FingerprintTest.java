package dev.keelson.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FingerprintTest {

  @Test
  void theSamePartsGiveTheSameFingerprintAndAnyChangeAnother() {
    Fingerprint payment = Fingerprint.builder().add("method", "POST").add("body", "pay 10").build();

    assertThat(Fingerprint.builder().add("method", "POST").add("body", "pay 10").build())
        .isEqualTo(payment);
    assertThat(Fingerprint.builder().add("method", "POST").add("body", "pay 11").build())
        .isNotEqualTo(payment);
    assertThat(Fingerprint.builder().add("body", "pay 10").add("method", "POST").build())
        .as("order matters")
        .isNotEqualTo(payment);
  }

  @Test
  void partsAreLengthPrefixedSoTheirBoundariesCount() {
    assertThat(Fingerprint.builder().add("a", "bc").build())
        .isNotEqualTo(Fingerprint.builder().add("ab", "c").build());
    assertThat(Fingerprint.builder().add("h", (String) null).build())
        .as("absent is not empty")
        .isNotEqualTo(Fingerprint.builder().add("h", "").build());
  }

  @Test
  void textIsDigestedAsUtf8() {
    assertThat(Fingerprint.builder().add("body", "café").build())
        .isEqualTo(
            Fingerprint.builder().add("body", "café".getBytes(StandardCharsets.UTF_8)).build());
  }

  @Test
  void onlyASha256InHexIsAFingerprint() {
    assertThat(Fingerprint.builder().build().hex()).hasSize(64);
    assertThatThrownBy(() -> new Fingerprint("abc")).hasMessageStartingWith("hex: ");
    assertThatThrownBy(() -> new Fingerprint("A".repeat(64))).hasMessageStartingWith("hex: ");
  }
}
