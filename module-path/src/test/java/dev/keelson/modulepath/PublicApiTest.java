package dev.keelson.modulepath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.lang.module.ModuleDescriptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins each published module's public API to its checked-in {@code
 * <module>/api/keelson-<module>.api} file (see {@link ApiSignatures}), so no API change lands
 * unnoticed: the build fails and shows the lines added and removed until the file is updated with
 * {@link #UPDATE_COMMAND} and the change is reviewed in the diff.
 */
class PublicApiTest {

  static final String UPDATE_COMMAND =
      "./mvnw -B -ntp -pl module-path -am verify -Dtest=PublicApiTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dkeelson.api.update=true";

  private static final Path ROOT = Path.of(System.getProperty("keelson.api.root", ".."));
  private static final boolean UPDATE = Boolean.getBoolean("keelson.api.update");
  // A package is lower case up to the first capitalized segment, the top-level type.
  private static final Pattern KEELSON_TYPE =
      Pattern.compile("\\b(dev\\.keelson(?:\\.[a-z][a-z0-9_]*)*)\\.([A-Z]\\w*)");

  /**
   * The folder of every Keelson module on the module path: dev.keelson.retry is in retry/,
   * dev.keelson.outbox.kafka in outbox-kafka/.
   */
  static List<String> folders() {
    return keelsonModules().stream()
        .map(module -> module.getName().substring("dev.keelson.".length()).replace('.', '-'))
        .sorted()
        .toList();
  }

  @ParameterizedTest
  @MethodSource("folders")
  void theApiIsTheCheckedInOne(String folder) throws IOException {
    Module module =
        ModuleLayer.boot().findModule("dev.keelson." + folder.replace('-', '.')).orElseThrow();
    Path file = ROOT.resolve(folder).resolve("api").resolve("keelson-" + folder + ".api");
    List<String> actual = new ArrayList<>();
    actual.add(
        "# The public API of keelson-" + folder + ", checked by module-path's PublicApiTest.");
    actual.add("# After an intended API change, regenerate it from the project root with:");
    actual.add("#   " + UPDATE_COMMAND);
    actual.add("");
    actual.addAll(ApiSignatures.of(module));

    if (UPDATE) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, String.join("\n", actual) + "\n", StandardCharsets.UTF_8);
      return;
    }
    if (!Files.exists(file)) {
      fail("%s is missing. Create it with:%n  %s", file.normalize(), UPDATE_COMMAND);
    }
    List<String> expected = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (!expected.equals(actual)) {
      fail(
          "The public API of %s differs from %s (- only in the file, + only in the code):%n%s"
              + "If the change is intended, update the file and commit it:%n  %s",
          module.getName(), file.normalize(), LineDiff.of(expected, actual), UPDATE_COMMAND);
    }
  }

  /** The API never names a Keelson type that users cannot import (an internal one). */
  @Test
  void theApiNamesOnlyExportedTypes() {
    Set<String> exported = new TreeSet<>();
    Set<String> named = new TreeSet<>();
    for (Module module : keelsonModules()) {
      for (ModuleDescriptor.Exports exports : module.getDescriptor().exports()) {
        if (!exports.isQualified()) {
          exported.add(exports.source());
        }
      }
      for (String line : ApiSignatures.of(module)) {
        Matcher type = KEELSON_TYPE.matcher(line);
        while (type.find()) {
          named.add(type.group(1) + "." + type.group(2));
        }
      }
    }
    assertThat(named)
        .allSatisfy(
            type -> assertThat(exported).contains(type.substring(0, type.lastIndexOf('.'))));
  }

  /** An API file of a module that is gone (or renamed) would pin nothing: it must go too. */
  @Test
  void everyApiFileIsAModulesOnTheModulePath() throws IOException {
    List<String> withFiles = new ArrayList<>();
    try (var files =
        Files.newDirectoryStream(ROOT, path -> Files.isDirectory(path.resolve("api")))) {
      files.forEach(folder -> withFiles.add(folder.getFileName().toString()));
    }
    assertThat(withFiles).containsExactlyInAnyOrderElementsOf(folders());
  }

  private static List<Module> keelsonModules() {
    List<Module> modules = new ArrayList<>();
    for (Module module : ModuleLayer.boot().modules()) {
      if (module.getName().startsWith("dev.keelson.") && !module.equals(Tour.class.getModule())) {
        modules.add(module);
      }
    }
    return modules;
  }
}
