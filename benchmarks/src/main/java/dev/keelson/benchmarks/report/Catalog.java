package dev.keelson.benchmarks.report;

import dev.keelson.benchmarks.Baseline;
import dev.keelson.benchmarks.BenchmarkGroup;
import dev.keelson.benchmarks.Peer;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads where a benchmark belongs from its annotations, so that adding a benchmark never means
 * touching the report code.
 */
public final class Catalog {

  private Catalog() {}

  /**
   * Places a measurement in its group.
   *
   * @throws IllegalArgumentException if its class has no {@link BenchmarkGroup}
   */
  public static Row place(Measurement measurement) {
    Class<?> benchmarkClass = load(measurement.className());
    BenchmarkGroup group = benchmarkClass.getAnnotation(BenchmarkGroup.class);
    if (group == null) {
      throw new IllegalArgumentException(
          measurement.className()
              + " declares no @BenchmarkGroup; every benchmark class needs one");
    }
    Optional<Method> method =
        Arrays.stream(benchmarkClass.getMethods())
            .filter(m -> m.getName().equals(measurement.methodName()))
            .findFirst();
    Role role = Role.KEELSON;
    String peer = "";
    if (method.isPresent() && method.get().isAnnotationPresent(Baseline.class)) {
      role = Role.BASELINE;
    } else if (method.isPresent() && method.get().isAnnotationPresent(Peer.class)) {
      role = Role.PEER;
      peer = method.get().getAnnotation(Peer.class).value();
    }
    return new Row(measurement, group.name(), group.title(), group.baseline(), role, peer);
  }

  private static Class<?> load(String className) {
    try {
      return Class.forName(className, false, Catalog.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException(
          "benchmark class " + className + " is not on the class path", e);
    }
  }
}
