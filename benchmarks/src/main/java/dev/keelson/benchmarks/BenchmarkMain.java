package dev.keelson.benchmarks;

import dev.keelson.benchmarks.report.Catalog;
import dev.keelson.benchmarks.report.JmhResults;
import dev.keelson.benchmarks.report.Machine;
import dev.keelson.benchmarks.report.ResultsReport;
import dev.keelson.benchmarks.report.Row;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the benchmarks and writes the report: {@code java -jar benchmarks.jar MODE [INCLUDE] [--out
 * DIR]}. {@code benchmarks/run.sh} is the usual way in.
 */
public final class BenchmarkMain {

  private static final Logger log = LoggerFactory.getLogger(BenchmarkMain.class);

  private BenchmarkMain() {}

  public static void main(String[] args) throws RunnerException, IOException {
    if (args.length < 1) {
      throw new IllegalArgumentException(
          "usage: BenchmarkMain smoke|quick|full [include-regex] [--out directory]");
    }
    RunMode mode = RunMode.parse(args[0]);
    String include = ".*";
    Path out = Path.of("benchmarks");
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--out") && i + 1 < args.length) {
        out = Path.of(args[++i]);
      } else {
        include = args[i];
      }
    }
    Files.createDirectories(out.resolve("results"));
    Path json = out.resolve("results").resolve(mode.name().toLowerCase(Locale.ROOT) + ".json");
    Options options =
        mode.apply(new OptionsBuilder())
            .include(include)
            .addProfiler(GCProfiler.class)
            .resultFormat(ResultFormatType.JSON)
            .result(json.toString())
            .shouldFailOnError(true)
            .build();
    Collection<RunResult> results = new Runner(options).run();
    if (results.isEmpty()) {
      throw new IllegalArgumentException("include: no benchmark matches '" + include + "'");
    }
    List<Row> rows = results.stream().map(JmhResults::toMeasurement).map(Catalog::place).toList();
    String run =
        mode.describe()
            + (include.equals(".*") ? "" : ", only benchmarks matching `" + include + "`");
    Path report = ResultsReport.write(rows, Machine.current(), run, out);
    log.info("{} benchmarks; report {}, raw results {}", rows.size(), report, json);
  }
}
