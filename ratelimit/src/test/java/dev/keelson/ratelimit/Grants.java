package dev.keelson.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/**
 * Permits granted in a test run, in time order, and the bounds the algorithms promise over them.
 */
public final class Grants {

  /** A grant of {@code permits} at {@code at} nanoseconds. */
  public record Grant(long at, int permits) {}

  private Grants() {}

  /** A token bucket's: from any grant on, at most the burst plus what refilled since. */
  public static void assertBurstPlusRefill(List<Grant> grants, long capacity, long interval) {
    for (int i = 0; i < grants.size(); i++) {
      long admitted = 0;
      for (int j = i; j < grants.size(); j++) {
        admitted += grants.get(j).permits();
        long span = grants.get(j).at() - grants.get(i).at();
        assertThat(admitted).isLessThanOrEqualTo(capacity + span / interval);
      }
    }
  }

  /** At most {@code bound} permits in any span shorter than {@code window}. */
  public static void assertWindowBound(List<Grant> grants, long window, long bound) {
    for (int i = 0; i < grants.size(); i++) {
      long admitted = 0;
      for (int j = i; j < grants.size() && grants.get(j).at() - grants.get(i).at() < window; j++) {
        admitted += grants.get(j).permits();
      }
      assertThat(admitted).isLessThanOrEqualTo(bound);
    }
  }

  /** At most {@code bound} permits in any {@code count} consecutive slices of {@code slice} ns. */
  public static void assertSliceBound(List<Grant> grants, long slice, int count, long bound) {
    for (int i = 0; i < grants.size(); i++) {
      long first = Math.floorDiv(grants.get(i).at(), slice);
      long admitted = 0;
      for (int j = i;
          j < grants.size() && Math.floorDiv(grants.get(j).at(), slice) < first + count;
          j++) {
        admitted += grants.get(j).permits();
      }
      assertThat(admitted).as("%d slices from slice %d", count, first).isLessThanOrEqualTo(bound);
    }
  }
}
