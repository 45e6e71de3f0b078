package dev.keelson.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NamesTest {

  @Test
  void aNameIsOneToSixtyFourCharactersOfVisibleText() {
    assertThat(Names.check("payments")).isEqualTo("payments");
    assertThat(Names.check("x".repeat(64))).hasSize(64);
    assertThatThrownBy(() -> Names.check("x".repeat(65)))
        .hasMessage("name: must be 1 to 64 characters, not 65");
    assertThatThrownBy(() -> Names.check("")).hasMessage("name: must be 1 to 64 characters, not 0");
    assertThatThrownBy(() -> Names.check(" \t")).hasMessage("name: must not be blank");
    assertThatThrownBy(() -> Names.check("a\nb"))
        .hasMessage("name: has a control character at index 1");
    assertThatThrownBy(() -> Names.check("a\u0000"))
        .hasMessage("name: has a control character at index 1");
    assertThatThrownBy(() -> Names.check("a\uD800"))
        .hasMessageStartingWith("name: has an unpaired");
    assertThatThrownBy(() -> Names.check(null)).isInstanceOf(NullPointerException.class);
  }
}
