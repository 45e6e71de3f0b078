package dev.keelson.benchmarks.report;

/**
 * A measurement placed in the report.
 *
 * @param measurement the result
 * @param group the group's name
 * @param title the group's title
 * @param baselineReference the group's declared baseline ({@code Class.method}), or empty
 * @param role what it measures
 * @param peer the peer's name for a {@link Role#PEER} row, else empty
 */
public record Row(
    Measurement measurement,
    String group,
    String title,
    String baselineReference,
    Role role,
    String peer) {

  /** The label shown in tables and charts. */
  public String label() {
    return role == Role.PEER ? peer + " " + measurement.label() : measurement.label();
  }
}
