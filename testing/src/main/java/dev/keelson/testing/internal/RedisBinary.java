package dev.keelson.testing.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a {@code redis-server}: the one named by {@link Settings#REDIS_SERVER_BINARY}, else the one
 * on the PATH, else the binary for this platform shipped in the {@code
 * com.github.codemonstur:embedded-redis} artifact (Redis 6.2).
 */
final class RedisBinary {

  /** Resource names inside the embedded-redis jar, by platform. */
  private static final Map<String, String> SHIPPED =
      Map.of(
          "linux-amd64", "redis-server-6.2.6-v5-linux-amd64",
          "linux-arm64", "redis-server-6.2.7-linux-arm64",
          "darwin-amd64", "redis-server-6.2.6-v5-darwin-amd64",
          "darwin-arm64", "redis-server-6.2.6-v5-darwin-arm64");

  private final Path path;
  private final String origin;

  private RedisBinary(Path path, String origin) {
    this.path = path;
    this.origin = origin;
  }

  Path path() {
    return path;
  }

  /** Where the binary came from, for the test report. */
  String origin() {
    return origin;
  }

  static RedisBinary find() {
    Optional<String> configured = Settings.REDIS_SERVER_BINARY.value();
    if (configured.isPresent()) {
      Path path = Path.of(configured.get());
      if (!Files.isExecutable(path)) {
        throw new IllegalStateException(
            Settings.REDIS_SERVER_BINARY.describe()
                + " names "
                + path
                + ", which is not an executable file; point it at a redis-server binary or unset it");
      }
      return new RedisBinary(path, "configured " + path);
    }
    Optional<Path> onPath = Platform.onPath("redis-server");
    if (onPath.isPresent()) {
      return new RedisBinary(onPath.get(), "redis-server on the PATH (" + onPath.get() + ")");
    }
    String platform = Platform.os() + "-" + Platform.arch();
    String resource = SHIPPED.get(platform);
    if (resource == null || RedisBinary.class.getClassLoader().getResource(resource) == null) {
      throw new IllegalStateException(
          "no redis-server for "
              + platform
              + ": install Redis 6.2 or newer on the PATH, set "
              + Settings.REDIS_SERVER_BINARY.describe()
              + " to a redis-server binary, or point the tests at a running server with "
              + Settings.REDIS_URI.describe());
    }
    Path dir = Platform.cached(resource, into -> extract(resource, into.resolve("redis-server")));
    return new RedisBinary(
        dir.resolve("redis-server"), resource + " from the embedded-redis Maven artifact");
  }

  private static void extract(String resource, Path file) {
    InputStream in = RedisBinary.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("resource " + resource + " vanished from the class path");
    }
    Platform.copy(in, file);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make " + file + " executable", e);
    }
  }
}
