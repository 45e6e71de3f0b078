package dev.keelson.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextTest {

  @Test
  void textWithSurrogatePairsPasses() {
    assertThat(Text.checkWellFormed("key", "tenant-😀-ü")).isEqualTo("tenant-😀-ü");
    assertThat(Text.checkWellFormed("key", "")).isEmpty();
  }

  @Test
  void anUnpairedSurrogateAnywhereIsRejectedWithItsIndex() {
    assertThatThrownBy(() -> Text.checkWellFormed("key", "ab\ud83d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key: has an unpaired surrogate (U+D83D) at index 2, which has no UTF-8 form");
    assertThatThrownBy(() -> Text.checkWellFormed("key", "\ude00ab"))
        .hasMessageContaining("(U+DE00) at index 0");
    assertThatThrownBy(() -> Text.checkWellFormed("key", "a\ud83dx\ude00"))
        .hasMessageContaining("at index 1");
    assertThatThrownBy(() -> Text.checkWellFormed("key", "😀\ude00"))
        .hasMessageContaining("at index 2");
  }

  @Test
  void nullIsRejectedByName() {
    assertThatThrownBy(() -> Text.checkWellFormed("topic", null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("topic");
  }
}
