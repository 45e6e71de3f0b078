package dev.keelson.benchmarks.ratelimit;

import java.util.Arrays;
import java.util.Locale;

/**
 * Ratios taken within rounds, for the reports whose senders take turns: each round's ratio of a
 * score to its reference, given as the median over the rounds and their range.
 */
final class Rounds {

  private Rounds() {}

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** For example {@code 1.17× (1.07–1.31)}; a dash when a score is missing. */
  static String times(double[] score, double[] reference) {
    return summary(score, reference, 1, "%.2f× (%.2f–%.2f)");
  }

  /** For example {@code 76% (73–82)}; a dash when a score is missing. */
  static String percent(double[] score, double[] reference) {
    return summary(score, reference, 100, "%.0f%% (%.0f–%.0f)");
  }

  private static String summary(double[] score, double[] reference, double scale, String format) {
    if (score.length == 0) {
      return "–";
    }
    double[] ratios = new double[score.length];
    for (int round = 0; round < ratios.length; round++) {
      ratios[round] = scale * score[round] / reference[round];
    }
    Arrays.sort(ratios);
    double median = ratios[ratios.length / 2];
    return Double.isNaN(median)
        ? "–"
        : String.format(Locale.ROOT, format, median, ratios[0], ratios[ratios.length - 1]);
  }
}
