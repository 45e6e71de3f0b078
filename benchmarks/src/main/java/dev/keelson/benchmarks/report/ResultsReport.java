package dev.keelson.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes {@code RESULTS.md} and one SVG chart per group ({@code results/<group>.svg}) beside it.
 */
public final class ResultsReport {

  private ResultsReport() {}

  /**
   * Writes the report.
   *
   * @param rows every measurement of the run, placed in its group
   * @param machine the machine that ran them
   * @param run how they ran (mode and JMH settings), one line
   * @param directory where {@code RESULTS.md} and {@code results/} go
   * @return the markdown file
   */
  public static Path write(List<Row> rows, Machine machine, String run, Path directory)
      throws IOException {
    List<Group> groups = Group.of(rows);
    Path charts = Files.createDirectories(directory.resolve("results"));
    for (Group group : groups) {
      Files.writeString(
          charts.resolve(group.name() + ".svg"), BarChart.svg(group), StandardCharsets.UTF_8);
    }
    Path markdown = directory.resolve("RESULTS.md");
    Files.writeString(markdown, markdown(groups, machine, run), StandardCharsets.UTF_8);
    return markdown;
  }

  static String markdown(List<Group> groups, Machine machine, String run) {
    StringBuilder md = new StringBuilder();
    md.append("# Keelson benchmark results\n\n")
        .append("Written by `benchmarks/run.sh`; do not edit by hand. Compare figures only within")
        .append(" one run: the rows of a table were measured together, on this machine:\n\n")
        .append("- CPU: ")
        .append(machine.cpu())
        .append(", ")
        .append(machine.cores())
        .append(" cores\n")
        .append("- memory: ")
        .append(machine.memory())
        .append("\n")
        .append("- OS: ")
        .append(machine.os())
        .append("\n")
        .append("- JDK: ")
        .append(machine.jdk())
        .append("\n")
        .append("- JMH ")
        .append(machine.jmh())
        .append(", ")
        .append(run)
        .append("\n")
        .append("- finished: ")
        .append(machine.date())
        .append("\n\n")
        .append("How to read: *score* is JMH's (time per operation, or operations per time for")
        .append(
            " throughput), *±* its 99.9% confidence half-width, *alloc* the bytes allocated per")
        .append(" operation (GC profiler). Ratios compare the cost of one operation: `0.50×` costs")
        .append(" half as much as the row it is compared to, `2.00×` twice as much.\n");
    for (Group group : groups) {
      md.append(table(group));
    }
    return md.toString();
  }

  private static String table(Group group) {
    StringBuilder md = new StringBuilder();
    md.append("\n## ").append(group.name()).append("\n\n").append(group.title()).append("\n\n");
    md.append("![")
        .append(group.name())
        .append("](results/")
        .append(group.name())
        .append(".svg)\n\n");
    Optional<Row> baseline = group.baseline();
    md.append(
        baseline
            .map(b -> "Baseline: `" + b.measurement().shortName() + "`.\n\n")
            .orElse("No baseline: " + group.baselineNote() + ".\n\n"));
    List<Row> peers = group.peers();
    md.append("| benchmark | role | mode | score | ± | unit | alloc B/op | vs baseline |");
    peers.forEach(p -> md.append(" vs ").append(p.label()).append(" |"));
    md.append("\n|---|---|---|---:|---:|---|---:|---:|");
    peers.forEach(p -> md.append("---:|"));
    md.append('\n');
    for (Row row : group.rows()) {
      Measurement m = row.measurement();
      md.append("| `")
          .append(row.label())
          .append("` | ")
          .append(row.role().label())
          .append(" | ")
          .append(m.mode())
          .append(" | ")
          .append(number(m.score()))
          .append(" | ")
          .append(number(m.error()))
          .append(" | ")
          .append(m.unit())
          .append(" | ")
          .append(number(m.allocBytesPerOp()))
          .append(" | ")
          .append(baseline.map(b -> ratio(row, b)).orElse("–"))
          .append(" |");
      peers.forEach(p -> md.append(' ').append(ratio(row, p)).append(" |"));
      md.append('\n');
    }
    return md.toString();
  }

  private static String ratio(Row row, Row reference) {
    return String.format(Locale.ROOT, "%.2f×", Group.ratio(row, reference));
  }

  static String number(double value) {
    if (Double.isNaN(value)) {
      return "–";
    }
    double magnitude = Math.abs(value);
    if (magnitude >= 100 || magnitude == 0) {
      return String.format(Locale.ROOT, "%,.0f", value);
    }
    if (magnitude >= 1) {
      return String.format(Locale.ROOT, "%.2f", value);
    }
    return String.format(Locale.ROOT, "%.3g", value);
  }
}
