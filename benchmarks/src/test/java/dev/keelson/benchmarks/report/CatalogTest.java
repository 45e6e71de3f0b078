package dev.keelson.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Every real benchmark belongs to a group whose baseline is part of a full run. */
class CatalogTest {

  @Test
  void everyBenchmarkIsPlacedAndEveryGroupHasItsBaseline() {
    List<Row> rows =
        BenchmarkList.defaultList()
            .getAll(
                OutputFormatFactory.createFormatInstance(
                    new PrintStream(OutputStream.nullOutputStream()), VerboseMode.SILENT),
                List.of())
            .stream()
            .map(BenchmarkListEntry::getUsername)
            .distinct()
            .map(name -> new Measurement(name, "", "avgt", 1, 0, "ns/op", 0))
            .map(Catalog::place)
            .toList();

    assertThat(rows).isNotEmpty();
    for (Group group : Group.of(rows)) {
      assertThat(group.baseline()).as("baseline of group %s", group.name()).isPresent();
    }
  }
}
