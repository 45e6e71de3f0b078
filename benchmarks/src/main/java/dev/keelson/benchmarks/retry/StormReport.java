package dev.keelson.benchmarks.retry;

import dev.keelson.testing.ManualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link StormSimulation} for every standard policy and writes {@code STORM.md}: {@code
 * java -cp benchmarks.jar dev.keelson.benchmarks.retry.StormReport OUT_DIR}.
 */
public final class StormReport {

  private static final Logger log = LoggerFactory.getLogger(StormReport.class);

  private StormReport() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "benchmarks");
    StormSimulation.Scenario scenario = StormSimulation.Scenario.standard();
    List<StormSimulation.Result> results = runAll(scenario);
    Files.createDirectories(out);
    Path file = out.resolve("STORM.md");
    Files.writeString(file, markdown(scenario, results), StandardCharsets.UTF_8);
    log.info("retry storm simulation: {} policies; report {}", results.size(), file);
  }

  public static List<StormSimulation.Result> runAll(StormSimulation.Scenario scenario) {
    List<StormSimulation.Result> results = new ArrayList<>();
    int policies = StormSimulation.standardPolicies(ManualClock.create()).size();
    for (int i = 0; i < policies; i++) {
      // Each run gets a fresh clock, and policies whose budgets read that clock.
      ManualClock clock = ManualClock.create();
      StormSimulation.Policy policy = StormSimulation.standardPolicies(clock).get(i);
      results.add(StormSimulation.run(scenario, policy, clock));
    }
    return results;
  }

  static String markdown(StormSimulation.Scenario s, List<StormSimulation.Result> results) {
    StringBuilder md = new StringBuilder();
    md.append("# Retry storm simulation\n\n")
        .append(
            "Written by `benchmarks/run.sh` (`StormReport`); deterministic: the same seed gives")
        .append(" the same table. ")
        .append(
            String.format(
                Locale.ROOT,
                "%d clients each send %.0f requests/s (evenly spaced, random phase) to one"
                    + " dependency that answers in %d ms. After %d s the dependency fails"
                    + " completely for %d s: it resets every connection in flight at once, then"
                    + " refuses calls within 1 ms. Then it recovers, for %d s more. Every client"
                    + " retries with the real `Retry` engine (3 attempts, base 100 ms, cap 20 s),"
                    + " each with its own budget where it has one. Seed %d.%n%n",
                s.clients(),
                s.requestsPerSecond(),
                s.latency().toMillis(),
                s.healthy().toSeconds(),
                s.outage().toSeconds(),
                s.after().toSeconds(),
                s.seed()))
        .append("- *amplification*: calls reaching the dependency during the outage per first")
        .append(" attempt made during it (1.00 = no retries at all).\n")
        .append("- *retry peak/mean*: retries in the busiest 10 ms of the outage over the average")
        .append(" 10 ms; high means retries arrive in synchronized waves.\n")
        .append("- *drain*: from recovery until the last call begun before it has ended.\n\n")
        .append(
            "| policy | amplification | retry peak/mean | drain | budget refusals | failed calls |")
        .append(" calls |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for (StormSimulation.Result r : results) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.2f× | %.1f | %d ms | %,d | %,d | %,d |%n",
              r.policy().name(),
              r.amplification(),
              r.retryPeakToMean(),
              r.drain().toMillis(),
              r.budgetRefusals(),
              r.callsFailed(),
              r.calls()));
    }
    return md.toString();
  }
}
