package dev.keelson.ratelimit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The slot codec packs a slice number (mod 2^41), two flags and a count without one field leaking
 * into another, at the limits of each; the ring keeps the newest {@link SliceRing#LENGTH} slices as
 * time goes on, and freezing and filling copy it exactly.
 */
class SliceRingTest {

  private static final long HALF_TAGS = 1L << 40;

  @ParameterizedTest
  @ValueSource(longs = {0, 1, -1, 123_456_789, HALF_TAGS - 1, -HALF_TAGS, Long.MAX_VALUE})
  void aSlotReadsBackTheSliceAndCountItWasPackedWith(long index) {
    for (long count : new long[] {0, 1, SliceRing.MAX_COUNT - 1, SliceRing.MAX_COUNT}) {
      for (boolean sealed : new boolean[] {false, true}) {
        long slot = SliceRing.packed(index, count, sealed);

        assertThat(SliceRing.count(slot)).isEqualTo(count);
        assertThat(SliceRing.isSealed(slot)).isEqualTo(sealed);
        assertThat(SliceRing.isFrozen(slot)).isFalse();
        assertThat(SliceRing.ahead(slot, index)).isZero();
        assertThat(SliceRing.isOpen(slot, index)).isEqualTo(!sealed);
        // Slice 0 with nothing counted is the empty slot: it holds no slice.
        boolean written = slot != SliceRing.EMPTY;
        assertThat(SliceRing.holds(slot, index)).isEqualTo(written);
        assertThat(SliceRing.holds(slot, index + 1)).isFalse();
        assertThat(SliceRing.isNewer(slot, index - 1)).isEqualTo(written);
        assertThat(SliceRing.isNewer(slot, index + 1)).isFalse();
      }
    }
  }

  @Test
  void slice0WithNothingCountedIsTheEmptySlot() {
    assertThat(SliceRing.packed(0, 0, false)).isEqualTo(SliceRing.EMPTY);
    assertThat(SliceRing.holds(SliceRing.EMPTY, 0)).isFalse();
    assertThat(SliceRing.countOf(SliceRing.whole(), 0, 0)).isZero();
  }

  @Test
  void addingToAFullCountLessOneFillsTheCountWithoutTouchingTheFlagsOrSlice() {
    long slot = SliceRing.packed(-7, SliceRing.MAX_COUNT - 5, false);

    long full = SliceRing.plus(slot, 5);

    assertThat(full).isEqualTo(SliceRing.packed(-7, SliceRing.MAX_COUNT, false));
    assertThat(SliceRing.isOpen(full, -7)).isTrue();
    assertThat(SliceRing.isSealed(full)).isFalse();
  }

  @Test
  void sliceNumbersWrapAt2To41AndDistancesSpanHalfOfThatEitherWay() {
    long slot = SliceRing.packed(5, 3, false);

    assertThat(SliceRing.holds(slot, 5 + 2 * HALF_TAGS)).isTrue();
    assertThat(SliceRing.ahead(slot, 5 - (HALF_TAGS - 1))).isEqualTo(HALF_TAGS - 1);
    assertThat(SliceRing.ahead(slot, 5 - HALF_TAGS)).isEqualTo(-HALF_TAGS);
    assertThat(SliceRing.ahead(slot, 5 + HALF_TAGS)).isEqualTo(-HALF_TAGS);
    assertThat(SliceRing.ahead(slot, 6)).isEqualTo(-1);
  }

  @Test
  void theRingKeepsTheNewestSlicesNewestFirstAsTimeGoesOn() {
    long[] ring = SliceRing.whole();
    int first = SliceRing.first(ring);
    for (long index = -50; index < 1_000; index++) {
      int position = SliceRing.position(first, index);
      assertThat(position).isBetween(first, first + SliceRing.LENGTH - 1);
      long slot = SliceRing.get(ring, position);
      assertThat(
              SliceRing.compareAndSet(
                  ring, position, slot, SliceRing.packed(index, count(index), false)))
          .isTrue();

      long[] counts = SliceRing.counts(ring, first, index);
      for (int age = 0; age < SliceRing.LENGTH; age++) {
        // Slices before -50 were never written.
        assertThat(counts[age]).isEqualTo(index - age >= -50 ? count(index - age) : 0);
      }
      assertThat(SliceRing.countOf(ring, first, index + 1)).isZero();
      assertThat(SliceRing.newest(ring, first, index - 3)).isEqualTo(index);
      assertThat(SliceRing.newest(ring, first, index + 3)).isEqualTo(index + 3);
    }
  }

  @Test
  void aSealedSlotShowsItsSliceWasSealedFromALaterOne() {
    long[] ring = SliceRing.whole();
    int position = SliceRing.position(0, 41);
    SliceRing.compareAndSet(ring, position, SliceRing.EMPTY, SliceRing.packed(41, 2, true));

    assertThat(SliceRing.newest(ring, 0, 40)).isEqualTo(42);
    assertThat(SliceRing.countOf(ring, 0, 41)).isEqualTo(2);
  }

  @Test
  void aFrozenRingRejectsEveryWriteAndCopiesIntoAPaddedRingOnce() {
    long[] ring = SliceRing.whole();
    for (long index = 90; index < 100; index++) {
      SliceRing.compareAndSet(
          ring,
          SliceRing.position(0, index),
          SliceRing.EMPTY,
          SliceRing.packed(index, count(index), index < 99));
    }
    long[] before = ring.clone();

    long[] frozen = SliceRing.freeze(ring, 0);

    assertThat(frozen).containsExactly(before);
    assertThat(SliceRing.freeze(ring, 0)).as("frozen again").containsExactly(before);
    for (int i = 0; i < SliceRing.LENGTH; i++) {
      assertThat(SliceRing.isFrozen(SliceRing.get(ring, i))).isTrue();
      assertThat(SliceRing.compareAndSet(ring, i, before[i], SliceRing.plus(before[i], 1)))
          .isFalse();
    }
    assertThat(SliceRing.counts(ring, 0, 99)).containsExactly(SliceRing.counts(frozen, 0, 99));

    long[] padded = SliceRing.padded();
    int first = SliceRing.first(padded);
    SliceRing.fill(padded, first, frozen);
    long[] other = frozen.clone();
    Arrays.fill(other, SliceRing.packed(5, 5, false));
    SliceRing.fill(padded, first, other);

    assertThat(first).isPositive();
    assertThat(Arrays.copyOfRange(padded, first, first + SliceRing.LENGTH)).containsExactly(before);
    assertThat(Arrays.copyOfRange(padded, 0, first)).containsOnly(0L);
    assertThat(Arrays.copyOfRange(padded, first + SliceRing.LENGTH, padded.length))
        .containsOnly(0L);
    assertThat(SliceRing.counts(padded, first, 99))
        .containsExactly(SliceRing.counts(frozen, 0, 99));
  }

  /** A count per slice, different for neighbours, from 1 to the largest a slot holds. */
  private static long count(long index) {
    return 1 + Math.floorMod(index * 7_919, SliceRing.MAX_COUNT);
  }
}
