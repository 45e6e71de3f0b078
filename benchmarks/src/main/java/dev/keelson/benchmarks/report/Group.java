package dev.keelson.benchmarks.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The rows of one group, baselines first, then Keelson, then peers, with the row every ratio is
 * taken against.
 *
 * @param name the group's name
 * @param title what it measures
 * @param rows its rows in report order
 * @param baseline the row every ratio is taken against, if it ran
 * @param baselineNote why there is no baseline, when there is none
 */
public record Group(
    String name, String title, List<Row> rows, Optional<Row> baseline, String baselineNote) {

  private static final Comparator<Row> ORDER =
      Comparator.comparing(Row::role).thenComparing(Row::label);

  /**
   * Groups rows by name (groups sorted by name) and finds each group's baseline among all rows of
   * the run, since a group may compare itself to another group's baseline.
   *
   * @throws IllegalArgumentException if classes of one group declare different baselines, or a
   *     group has several baseline methods and declares none
   */
  public static List<Group> of(List<Row> all) {
    Map<String, List<Row>> byName =
        all.stream().collect(Collectors.groupingBy(Row::group, TreeMap::new, Collectors.toList()));
    List<Group> groups = new ArrayList<>();
    byName.forEach(
        (name, rows) -> {
          List<Row> ordered = rows.stream().sorted(ORDER).toList();
          groups.add(withBaseline(name, ordered, all));
        });
    return groups;
  }

  /** This row's cost relative to another's: below 1 is cheaper. */
  public static double ratio(Row row, Row reference) {
    return row.measurement().nanosPerOp() / reference.measurement().nanosPerOp();
  }

  public List<Row> peers() {
    return rows.stream().filter(r -> r.role() == Role.PEER).toList();
  }

  private static Group withBaseline(String name, List<Row> rows, List<Row> all) {
    Group group = findBaseline(name, rows, all);
    return group.baseline().map(group::baselineFirst).orElse(group);
  }

  /** The reference row leads its own group's table, ahead of other baselines. */
  private Group baselineFirst(Row reference) {
    List<Row> ordered = new ArrayList<>(rows);
    if (ordered.remove(reference)) {
      ordered.add(0, reference);
    }
    return new Group(name, title, List.copyOf(ordered), baseline, baselineNote);
  }

  private static Group findBaseline(String name, List<Row> rows, List<Row> all) {
    String title = rows.get(0).title();
    Set<String> declared =
        rows.stream()
            .map(Row::baselineReference)
            .filter(reference -> !reference.isEmpty())
            .collect(Collectors.toCollection(LinkedHashSet::new));
    if (declared.size() > 1) {
      throw new IllegalArgumentException(
          "group " + name + ": its classes declare different baselines " + declared);
    }
    if (declared.size() == 1) {
      String reference = declared.iterator().next();
      Optional<Row> found =
          all.stream().filter(r -> r.measurement().shortName().equals(reference)).findFirst();
      return new Group(
          name,
          title,
          rows,
          found,
          found.isPresent() ? "" : "baseline " + reference + " was not part of this run");
    }
    List<Row> baselines = rows.stream().filter(r -> r.role() == Role.BASELINE).toList();
    if (baselines.size() > 1) {
      throw new IllegalArgumentException(
          "group "
              + name
              + " has several @Baseline methods "
              + baselines.stream().map(r -> r.measurement().shortName()).toList()
              + "; name the one to compare to in @BenchmarkGroup(baseline = ...)");
    }
    return new Group(
        name,
        title,
        rows,
        baselines.stream().findFirst(),
        baselines.isEmpty() ? "the group has no baseline" : "");
  }
}
