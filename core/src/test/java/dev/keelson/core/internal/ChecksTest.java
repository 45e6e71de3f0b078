package dev.keelson.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChecksTest {

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

  @Test
  void aValueOutsideItsRangeIsRejectedNamingFieldValueAndRange() {
    assertThat(Checks.between("maxAttempts", 100, 1, 100)).isEqualTo(100);
    assertThatThrownBy(() -> Checks.between("maxAttempts", 0, 1, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxAttempts: 0 is not in 1..100");
    assertThatThrownBy(() -> Checks.between("ratio", Double.NaN, 0, 10))
        .hasMessage("ratio: NaN is not in 0.0..10.0");
    assertThatThrownBy(
            () ->
                Checks.between(
                    "lease", Duration.ofHours(2), Duration.ofMillis(10), Duration.ofHours(1)))
        .hasMessage("lease: PT2H is not in PT0.01S..PT1H");
    assertThatThrownBy(() -> Checks.atLeast("capacity", 0, 1))
        .hasMessage("capacity: 0 must be at least 1");
    assertThatThrownBy(
            () -> Checks.atLeast("minimumAttemptTime", Duration.ofNanos(-1), Duration.ZERO))
        .hasMessage("minimumAttemptTime: PT-0.000000001S must be at least PT0S");
    assertThatThrownBy(() -> Checks.positive("timeout", Duration.ZERO))
        .hasMessage("timeout: PT0S must be more than zero");
    assertThatThrownBy(() -> Checks.between("lease", null, Duration.ZERO, Duration.ofHours(1)))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("lease");
  }

  @Test
  void textMustFitAndMustNotChooseAClusterSlot() {
    assertThat(Checks.text("owner", "worker-1", 8)).isEqualTo("worker-1");
    assertThatThrownBy(() -> Checks.text("owner", "", 8))
        .hasMessage("owner: must be 1 to 8 characters, not 0");
    assertThatThrownBy(() -> Checks.text("owner", "worker-10", 8))
        .hasMessage("owner: must be 1 to 8 characters, not 9");
    assertThatThrownBy(() -> Checks.noHashTag("queue", "{jobs}"))
        .hasMessage("queue: '{jobs}' must not contain '{' or '}'");
  }

  @Test
  void nanosSaturateInsteadOfOverflowing() {
    assertThat(Checks.saturatedNanos(Duration.ofDays(365 * 300))).isEqualTo(Long.MAX_VALUE);
    assertThat(Checks.saturatedNanos(Duration.ofDays(-365 * 300))).isEqualTo(Long.MIN_VALUE);
    assertThat(Checks.saturatedNanos(Duration.ofMillis(5))).isEqualTo(5_000_000);
  }

  @Test
  void aCountWithOneRightValueSaysWhichItMustBe() {
    assertThat(Checks.exactly("keys.length", 3, 3, "one per level")).isEqualTo(3);
    assertThatThrownBy(() -> Checks.exactly("keys.length", 1, 3, "one per level"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keys.length: must be 3 (one per level), not 1");
    assertThat(Checks.notIn("permits", 6, 1, 5, "'small' can never grant more at once"))
        .hasMessage("permits: 6 is not in 1..5 ('small' can never grant more at once)");
  }
}
