package dev.keelson.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MeasurementTest {

  private static Measurement of(double score, String unit) {
    return new Measurement("a.b.C.m", "", "avgt", score, 0, unit, Double.NaN);
  }

  @Test
  void averageTimesConvertToNanosecondsPerOperation() {
    assertThat(of(3, "ns/op").nanosPerOp()).isEqualTo(3);
    assertThat(of(2.5, "us/op").nanosPerOp()).isEqualTo(2_500);
    assertThat(of(4, "ms/op").nanosPerOp()).isEqualTo(4_000_000);
    assertThat(of(1, "s/op").nanosPerOp()).isEqualTo(1e9);
  }

  @Test
  void throughputsConvertToTheCostOfOneOperation() {
    assertThat(of(50_000, "ops/s").nanosPerOp()).isCloseTo(20_000, within(1e-6));
    assertThat(of(2, "ops/us").nanosPerOp()).isCloseTo(500, within(1e-9));
  }

  @Test
  void anUnknownUnitIsNamed() {
    assertThatThrownBy(() -> of(1, "furlongs").nanosPerOp())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("furlongs");
  }

  @Test
  void namesItsParts() {
    Measurement m = new Measurement("dev.x.FooBenchmark.bar", "size=10", "avgt", 1, 0, "ns/op", 0);

    assertThat(m.className()).isEqualTo("dev.x.FooBenchmark");
    assertThat(m.shortName()).isEqualTo("FooBenchmark.bar");
    assertThat(m.label()).isEqualTo("bar[size=10]");
  }
}
