package dev.keelson.benchmarks.report;

/** What a row measures, which decides its place and colour in the report. */
public enum Role {
  BASELINE("baseline", "#9e9e9e"),
  KEELSON("Keelson", "#1f77b4"),
  PEER("peer", "#ff7f0e");

  private final String label;
  private final String colour;

  Role(String label, String colour) {
    this.label = label;
    this.colour = colour;
  }

  public String label() {
    return label;
  }

  public String colour() {
    return colour;
  }
}
