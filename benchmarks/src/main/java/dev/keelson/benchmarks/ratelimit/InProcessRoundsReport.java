package dev.keelson.benchmarks.ratelimit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-process single-key benchmarks in interleaved rounds. Their targets are ratios a few
 * percent from the line (to the clock read, to the fastest peer), and this machine drifts by about
 * ten percent from one minute to the next; JMH runs a benchmark's forks back to back, so a slow
 * spell lands on one row and moves the ratio. Here each round runs every benchmark of a group once
 * (one fork each, in turn), each ratio is taken within the round, and the report gives the median
 * over the rounds and their range. Writes {@code IN_PROCESS.md}: {@code java -cp benchmarks.jar
 * dev.keelson.benchmarks.ratelimit.InProcessRoundsReport OUT_DIR ROUNDS ITERATION_MILLIS}.
 */
public final class InProcessRoundsReport {

  private static final Logger log = LoggerFactory.getLogger(InProcessRoundsReport.class);
  private static final String BASELINE = "clockRead";
  private static final String FLOOR = "clockReadAndCas";
  private static final List<String> KEELSON =
      List.of("keelsonTokenBucket", "keelsonFixedWindow", "keelsonSlidingWindow");
  private static final List<String> PEERS = List.of("guava", "resilience4j", "bucket4j");
  private static final int ITERATIONS = 3;

  private InProcessRoundsReport() {}

  public static void main(String[] args) throws IOException, RunnerException {
    Path out = Path.of(args.length > 0 ? args[0] : "benchmarks");
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    long millis = args.length > 2 ? Long.parseLong(args[2]) : 1_000;
    StringBuilder md =
        new StringBuilder("# In-process rate limits, one key, in interleaved rounds\n\n")
            .append("Written by `benchmarks/run.sh` (`InProcessRoundsReport`): ")
            .append(rounds)
            .append(" rounds; in each, every benchmark of a group runs once, in turn, in a fork")
            .append(" of its own (")
            .append(ITERATIONS)
            .append(" warm-up and ")
            .append(ITERATIONS)
            .append(" measured iterations of ")
            .append(millis)
            .append(" ms). Each figure is the median over the rounds; each ratio is taken within")
            .append(" a round (its median, and the range over the rounds in brackets). JDK ")
            .append(System.getProperty("java.version"))
            .append(".\n");
    for (Class<?> group :
        List.of(InProcessRateLimitBenchmark.class, InProcessRateLimitTwoThreadsBenchmark.class)) {
      md.append(table(group, rounds, millis));
    }
    Files.createDirectories(out);
    Path file = out.resolve("IN_PROCESS.md");
    Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    log.info("in-process rounds: report {}", file);
  }

  private static String table(Class<?> group, int rounds, long millis) throws RunnerException {
    Map<String, double[]> scores = new LinkedHashMap<>();
    scores.put(BASELINE, new double[rounds]);
    scores.put(FLOOR, new double[rounds]);
    KEELSON.forEach(name -> scores.put(name, new double[rounds]));
    PEERS.forEach(name -> scores.put(name, new double[rounds]));
    for (int round = 0; round < rounds; round++) {
      for (Map.Entry<String, double[]> benchmark : scores.entrySet()) {
        benchmark.getValue()[round] = score(group, benchmark.getKey(), millis);
      }
      log.info("{}: round {} of {} done", group.getSimpleName(), round + 1, rounds);
    }
    double[] fastestPeer = new double[rounds];
    for (Map.Entry<String, double[]> benchmark : scores.entrySet()) {
      if (PEERS.contains(benchmark.getKey())) {
        for (int round = 0; round < rounds; round++) {
          fastestPeer[round] = Math.max(fastestPeer[round], benchmark.getValue()[round]);
        }
      }
    }
    StringBuilder md =
        new StringBuilder("\n## `")
            .append(group.getSimpleName())
            .append("`\n\n| benchmark | ops/µs | ÷ `System.nanoTime()` |")
            .append(" ÷ clock read and one compare-and-set | ÷ the fastest peer |\n")
            .append("|---|---:|---:|---:|---:|\n");
    for (Map.Entry<String, double[]> benchmark : scores.entrySet()) {
      double[] score = benchmark.getValue();
      md.append("| `")
          .append(benchmark.getKey())
          .append("` | ")
          .append(String.format(Locale.ROOT, "%.2f", Rounds.median(score)))
          .append(" | ")
          .append(Rounds.percent(score, scores.get(BASELINE)))
          .append(" | ")
          .append(
              KEELSON.contains(benchmark.getKey()) ? Rounds.percent(score, scores.get(FLOOR)) : "–")
          .append(" | ")
          .append(KEELSON.contains(benchmark.getKey()) ? Rounds.times(score, fastestPeer) : "–")
          .append(" |\n");
    }
    return md.toString();
  }

  private static double score(Class<?> group, String benchmark, long millis)
      throws RunnerException {
    Options options =
        new OptionsBuilder()
            .include("^" + Pattern.quote(group.getName() + "." + benchmark) + "$")
            .forks(1)
            .warmupIterations(ITERATIONS)
            .warmupTime(TimeValue.milliseconds(millis))
            .measurementIterations(ITERATIONS)
            .measurementTime(TimeValue.milliseconds(millis))
            .shouldFailOnError(true)
            .verbosity(VerboseMode.SILENT)
            .build();
    RunResult result = new Runner(options).runSingle();
    return result.getPrimaryResult().getScore();
  }
}
