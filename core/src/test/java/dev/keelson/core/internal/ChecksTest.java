package dev.keelson.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextTest {

  @Test
  void textWithSurrogatePairsPasses() {
    assertThat(Checks.wellFormed("key", "tenant-😀-ü")).isEqualTo("tenant-😀-ü");
    assertThat(Checks.wellFormed("key", "")).isEmpty();
  }

  @Test
  void anUnpairedSurrogateAnywhereIsRejectedWithItsIndex() {
    assertThatThrownBy(() -> Checks.wellFormed("key", "ab\ud83d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key: has an unpaired surrogate (U+D83D) at index 2, which has no UTF-8 form");
    assertThatThrownBy(() -> Checks.wellFormed("key", "\ude00ab"))
        .hasMessageContaining("(U+DE00) at index 0");
    assertThatThrownBy(() -> Checks.wellFormed("key", "a\ud83dx\ude00"))
        .hasMessageContaining("at index 1");
    assertThatThrownBy(() -> Checks.wellFormed("key", "😀\ude00"))
        .hasMessageContaining("at index 2");
  }

  @Test
  void nullIsRejectedByName() {
    assertThatThrownBy(() -> Checks.wellFormed("topic", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("topic");
  }
}
