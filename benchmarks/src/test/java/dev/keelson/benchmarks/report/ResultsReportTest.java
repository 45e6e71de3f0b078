package dev.keelson.benchmarks.report;

import static dev.keelson.benchmarks.report.ReportFixtures.LIMITER;
import static dev.keelson.benchmarks.report.ReportFixtures.row;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class ResultsReportTest {

  private static final Machine MACHINE =
      new Machine("Test CPU", 2, "24.0 GiB", "Linux", "OpenJDK 17", "1.37", "2026-01-01T00:00Z");

  private static final List<Row> ROWS =
      List.of(
          row(LIMITER, "directCall", 2),
          row(LIMITER, "keelsonAcquire", 20),
          row(LIMITER, "bucket4jAcquire", 40),
          row(LIMITER, "guavaAcquire", 10));

  @Test
  void writesATablePerGroupWithRatiosToTheBaselineAndEachPeer(@TempDir Path dir) throws Exception {
    Path report = ResultsReport.write(ROWS, MACHINE, "mode test", dir);

    String md = Files.readString(report);
    assertThat(md)
        .contains("- CPU: Test CPU, 2 cores")
        .contains("mode test")
        .contains("## limiter")
        .contains("![limiter](results/limiter.svg)")
        .contains("Baseline: `LimiterFixture.directCall`.")
        .contains(
            "| benchmark | role | mode | score | ± | unit | alloc B/op | vs baseline | vs Bucket4j bucket4jAcquire | vs Guava guavaAcquire |");
    assertThat(md)
        .contains(
            "| `keelsonAcquire` | Keelson | avgt | 20.00 | 2.00 | ns/op | 0 | 10.00× | 0.50× | 2.00× |");
    assertThat(Files.exists(dir.resolve("results/limiter.svg"))).isTrue();
  }

  @Test
  void chartsAreWellFormedSvgWithEscapedText() throws Exception {
    String svg = BarChart.svg(Group.of(ROWS).get(0));

    Document document =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertThat(document.getDocumentElement().getNodeName()).isEqualTo("svg");
    assertThat(document.getElementsByTagName("rect").getLength())
        .isEqualTo(1 + 4 + Role.values().length);
    assertThat(svg).contains("A &lt;limiter&gt; &amp; its peers").contains("(10.00× baseline)");
  }

  @Test
  void numbersStayReadable() {
    assertThat(ResultsReport.number(Double.NaN)).isEqualTo("–");
    assertThat(ResultsReport.number(123_456.7)).isEqualTo("123,457");
    assertThat(ResultsReport.number(12.345)).isEqualTo("12.35");
    assertThat(ResultsReport.number(0.001234)).isEqualTo("0.00123");
  }
}
