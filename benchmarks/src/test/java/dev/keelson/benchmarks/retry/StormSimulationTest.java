package dev.keelson.benchmarks.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A total outage, with and without budgets: what the dependency sees. */
class StormSimulationTest {

  private static final StormSimulation.Scenario SCENARIO = StormSimulation.Scenario.standard();
  private static List<StormSimulation.Result> results;

  @BeforeAll
  static void simulate() {
    results = StormReport.runAll(SCENARIO);
  }

  private static List<StormSimulation.Result> budgeted(boolean budgeted) {
    return results.stream()
        .filter(r -> (r.policy().budget() != null) == budgeted)
        .collect(Collectors.toList());
  }

  private static StormSimulation.Result named(String prefix, boolean budgeted) {
    return budgeted(budgeted).stream()
        .filter(r -> r.policy().name().startsWith(prefix))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void withoutABudgetEveryFailedCallMakesAllItsAttempts() {
    assertThat(budgeted(false))
        .hasSize(4)
        .allSatisfy(r -> assertThat(r.amplification()).isBetween(2.9, 3.05));
  }

  @Test
  void withTheBudgetAmplificationStaysWithinTheRatioPlusTheFloor() {
    double ratio = 0.1;
    double floorShare = 1.0 / SCENARIO.requestsPerSecond();
    assertThat(budgeted(true))
        .hasSize(4)
        .allSatisfy(
            r -> {
              assertThat(r.amplification()).isBetween(1.0, 1 + ratio + floorShare + 0.01);
              assertThat(r.budgetRefusals()).isPositive();
            });
  }

  @Test
  void jitterBreaksTheWavesThatSynchronizedFailuresStart() {
    double waves = named("exponential", false).retryPeakToMean();

    assertThat(waves).isGreaterThan(5);
    assertThat(named("full jitter", false).retryPeakToMean()).isLessThan(waves / 3);
    assertThat(named("equal jitter", false).retryPeakToMean()).isLessThan(waves / 3);
    assertThat(named("decorrelated jitter", false).retryPeakToMean()).isLessThan(waves / 3);
  }

  @Test
  void callsBegunDuringTheOutageEndSoonAfterRecovery() {
    assertThat(results).allSatisfy(r -> assertThat(r.drain().toMillis()).isLessThan(2_000));
    assertThat(budgeted(true))
        .allSatisfy(
            r -> assertThat(r.drain()).isLessThanOrEqualTo(named("full jitter", false).drain()));
  }

  @Test
  void theSameSeedGivesTheSameFigures() {
    List<StormSimulation.Result> again = StormReport.runAll(SCENARIO);

    assertThat(again.stream().map(StormSimulationTest::figures))
        .containsExactlyElementsOf(results.stream().map(StormSimulationTest::figures).toList());
  }

  private static String figures(StormSimulation.Result r) {
    return r.policy().name()
        + " "
        + r.amplification()
        + " "
        + r.retryPeakToMean()
        + " "
        + r.drain()
        + " "
        + r.budgetRefusals()
        + " "
        + r.callsFailed()
        + " "
        + r.calls();
  }
}
