package dev.keelson.benchmarks.report;

import java.util.List;
import java.util.Locale;

/**
 * Draws a group as a horizontal bar chart in SVG: one bar per row, its length the cost of one
 * operation, coloured by role, labelled with the cost and its ratio to the baseline.
 */
public final class BarChart {

  private static final int WIDTH = 920;
  private static final int LABEL_WIDTH = 300;
  private static final int BAR_AREA = 380;
  private static final int ROW_HEIGHT = 30;
  private static final int TOP = 44;

  private BarChart() {}

  public static String svg(Group group) {
    List<Row> rows = group.rows();
    double max = rows.stream().mapToDouble(r -> r.measurement().nanosPerOp()).max().orElse(1);
    TimeScale scale = TimeScale.fitting(max);
    int height = TOP + rows.size() * ROW_HEIGHT + 34;
    StringBuilder svg = new StringBuilder();
    svg.append(
            String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                    + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"13\">%n",
                WIDTH,
                height,
                WIDTH,
                height))
        .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
        .append(
            text(
                12,
                22,
                "font-size=\"15\" font-weight=\"bold\"",
                group.name() + ": " + group.title()));
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      double nanos = row.measurement().nanosPerOp();
      int y = TOP + i * ROW_HEIGHT;
      int length = (int) Math.max(2, Math.round(BAR_AREA * nanos / max));
      svg.append(text(LABEL_WIDTH - 8, y + 15, "text-anchor=\"end\"", row.label()))
          .append(
              String.format(
                  Locale.ROOT,
                  "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n",
                  LABEL_WIDTH,
                  y + 2,
                  length,
                  ROW_HEIGHT - 8,
                  row.role().colour()))
          .append(text(LABEL_WIDTH + length + 6, y + 15, "", valueLabel(group, row, scale)));
    }
    int legendY = TOP + rows.size() * ROW_HEIGHT + 18;
    int x = 12;
    for (Role role : Role.values()) {
      svg.append(
              String.format(
                  Locale.ROOT,
                  "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>%n",
                  x,
                  legendY - 10,
                  role.colour()))
          .append(text(x + 16, legendY, "", role.label()));
      x += 110;
    }
    svg.append(text(x + 20, legendY, "fill=\"#555\"", "bar length: time per operation"));
    return svg.append("</svg>\n").toString();
  }

  private static String valueLabel(Group group, Row row, TimeScale scale) {
    String value = scale.format(row.measurement().nanosPerOp()) + "/op";
    if (group.baseline().isPresent() && group.baseline().get() != row) {
      value +=
          String.format(
              Locale.ROOT, "  (%.2f× baseline)", Group.ratio(row, group.baseline().get()));
    }
    return value;
  }

  private static String text(int x, int y, String attributes, String content) {
    return String.format(
        Locale.ROOT, "<text x=\"%d\" y=\"%d\" %s>%s</text>%n", x, y, attributes, escape(content));
  }

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  /** The time unit that keeps a group's largest value readable. */
  enum TimeScale {
    NANOS("ns", 1),
    MICROS("µs", 1e3),
    MILLIS("ms", 1e6),
    SECONDS("s", 1e9);

    private final String symbol;
    private final double nanos;

    TimeScale(String symbol, double nanos) {
      this.symbol = symbol;
      this.nanos = nanos;
    }

    static TimeScale fitting(double maxNanos) {
      TimeScale fit = NANOS;
      for (TimeScale scale : values()) {
        if (maxNanos >= scale.nanos) {
          fit = scale;
        }
      }
      return fit;
    }

    String format(double valueNanos) {
      double value = valueNanos / nanos;
      return String.format(
          Locale.ROOT, value < 10 ? "%.2f %s" : value < 100 ? "%.1f %s" : "%.0f %s", value, symbol);
    }
  }
}
