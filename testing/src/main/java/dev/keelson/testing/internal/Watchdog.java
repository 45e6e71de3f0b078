package dev.keelson.testing.internal;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Kills a server process when the JVM that started it dies without running its shutdown hooks. It
 * is a tiny shell loop, because nothing inside a dead JVM can clean up after it; the loop also ends
 * when the server ends, so a stopped server leaves no watchdog behind.
 */
final class Watchdog {

  private static final String LOOP =
      "while kill -0 \"$0\" 2>/dev/null && kill -0 \"$1\" 2>/dev/null; do sleep 1; done;"
          + " kill -0 \"$0\" 2>/dev/null || kill -9 \"$1\" 2>/dev/null; exit 0";

  private Watchdog() {}

  static void guard(long serverPid) {
    long jvmPid = ProcessHandle.current().pid();
    try {
      new ProcessBuilder("sh", "-c", LOOP, Long.toString(jvmPid), Long.toString(serverPid))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the watchdog of server pid " + serverPid, e);
    }
  }
}
