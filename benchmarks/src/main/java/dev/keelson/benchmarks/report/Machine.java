package dev.keelson.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.openjdk.jmh.util.Version;

/**
 * The machine a run measured, so that nobody compares figures from different machines.
 *
 * @param cpu the CPU model
 * @param cores processors available to the JVM
 * @param memory total memory
 * @param os operating system and architecture
 * @param jdk the JVM that ran the benchmarks
 * @param jmh the JMH version
 * @param date when the run ended (UTC)
 */
public record Machine(
    String cpu, int cores, String memory, String os, String jdk, String jmh, String date) {

  public static Machine current() {
    return new Machine(
        procLine("/proc/cpuinfo", "model name").orElse(System.getProperty("os.arch")),
        Runtime.getRuntime().availableProcessors(),
        procLine("/proc/meminfo", "MemTotal").map(Machine::gibibytes).orElse("unknown"),
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        Version.getPlainVersion(),
        Instant.now().truncatedTo(ChronoUnit.MINUTES).toString());
  }

  private static Optional<String> procLine(String file, String key) {
    try {
      List<String> lines = Files.readAllLines(Path.of(file));
      return lines.stream()
          .filter(line -> line.startsWith(key))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String gibibytes(String memTotal) {
    long kib = Long.parseLong(memTotal.replaceAll("[^0-9]", ""));
    return String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
  }
}
