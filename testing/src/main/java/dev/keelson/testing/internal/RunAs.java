package dev.keelson.testing.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Who a server process runs as. PostgreSQL refuses to run as root, and many CI containers (and
 * these build machines) run as root: then the server runs as the unprivileged {@code nobody} user
 * through {@code setpriv}, owning its data folder. For an ordinary user nothing changes.
 */
final class RunAs {

  private static final String UNPRIVILEGED_USER = "nobody";

  private final List<String> prefix;
  private final String uid;
  private final String gid;

  private RunAs(List<String> prefix, String uid, String gid) {
    this.prefix = prefix;
    this.uid = uid;
    this.gid = gid;
  }

  static RunAs current() {
    if (!"root".equals(System.getProperty("user.name"))) {
      return new RunAs(List.of(), "", "");
    }
    if (Platform.onPath("setpriv").isEmpty()) {
      throw new IllegalStateException(
          "running as root, and PostgreSQL refuses root: setpriv (util-linux) is needed to run it"
              + " as '"
              + UNPRIVILEGED_USER
              + "'; install util-linux, run the build as an ordinary user, or point the tests at"
              + " a running server with "
              + Settings.POSTGRES_URL.describe());
    }
    String uid = run("id", "-u", UNPRIVILEGED_USER);
    String gid = run("id", "-g", UNPRIVILEGED_USER);
    return new RunAs(
        List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--"), uid, gid);
  }

  boolean isSwitching() {
    return !prefix.isEmpty();
  }

  String describe() {
    return isSwitching() ? "as user " + UNPRIVILEGED_USER + " (uid " + uid + ")" : "as this user";
  }

  /** The command, run as this user. */
  List<String> command(List<String> command) {
    List<String> full = new ArrayList<>(prefix);
    full.addAll(command);
    return full;
  }

  /** Hands a folder and everything in it to this user. */
  void own(Path dir) {
    if (isSwitching()) {
      run("chown", "-R", uid + ":" + gid, dir.toString());
    }
  }

  /** Whether this user can reach files under {@code dir} (every ancestor searchable). */
  boolean canReach(Path dir) {
    if (!isSwitching()) {
      return true;
    }
    for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
      try {
        if (Files.exists(p)
            && !Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
          return false;
        }
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!process.waitFor(1, TimeUnit.MINUTES) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
    }
  }
}
