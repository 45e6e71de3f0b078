package dev.keelson.testing.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** Facts about the machine, and the cache where binaries from Maven artifacts are unpacked. */
final class Platform {

  private Platform() {}

  static String os() {
    String name = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    if (name.contains("linux")) {
      return "linux";
    }
    if (name.contains("mac") || name.contains("darwin")) {
      return "darwin";
    }
    return name.replace(' ', '-');
  }

  static String arch() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    switch (arch) {
      case "amd64":
      case "x86_64":
        return "amd64";
      case "aarch64":
      case "arm64":
        return "arm64";
      default:
        return arch;
    }
  }

  /** An executable found on the PATH. */
  static Optional<Path> onPath(String executable) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir, executable);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Unpacks something once per machine and user into the binary cache, under {@code name}.
   * Unpacking goes to a scratch folder first and is moved into place atomically, so a concurrent
   * build sees either nothing or a complete copy.
   */
  static Path cached(String name, Consumer<Path> unpackInto) {
    Path cache = cacheRoot();
    Path target = cache.resolve(name);
    if (Files.exists(target)) {
      return target;
    }
    try {
      Files.createDirectories(cache);
      Path scratch = Files.createTempDirectory(cache, name + ".tmp");
      // Readable by all: PostgreSQL runs its binaries as an unprivileged user when we are root.
      Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxr-xr-x"));
      unpackInto.accept(scratch);
      try {
        Files.move(scratch, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
        // Another build got there first; its copy is as good as ours.
        deleteRecursively(scratch);
      } catch (IOException e) {
        if (!Files.exists(target)) {
          throw e;
        }
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot unpack " + name + " into " + cache, e);
    }
  }

  /**
   * An empty folder at {@code dir}: whatever a previous run left there (an old server that had the
   * same port) is removed first, so a new server never starts on stale data.
   */
  static Path freshDirectory(Path dir) {
    try {
      if (Files.exists(dir)) {
        deleteRecursively(dir);
      }
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare an empty folder " + dir, e);
    }
  }

  static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(Platform::delete);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
  }

  static void copy(InputStream in, Path file) {
    try (in) {
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * The binary cache. It lives in the temp folder, not under {@code target/}, so that every module
   * of a build unpacks a server once, and so that an unprivileged user can reach it.
   */
  private static Path cacheRoot() {
    return Path.of(
        System.getProperty("java.io.tmpdir"),
        "keelson-binaries-" + System.getProperty("user.name"));
  }

  private static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
