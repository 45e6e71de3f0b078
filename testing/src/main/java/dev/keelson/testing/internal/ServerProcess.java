package dev.keelson.testing.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server process started by the extensions: started, checked ready, stopped gracefully or
 * killed, and started again with the same command (so on the same port and data directory).
 *
 * <p>No process outlives the JVM: {@link #start()} also starts a small watchdog shell that kills
 * the server if this JVM dies without running its shutdown hooks (kill -9, a crashed fork).
 */
public final class ServerProcess {

  private static final Logger log = LoggerFactory.getLogger(ServerProcess.class);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  /** Tells whether the server answers; may throw while it is still starting. */
  @FunctionalInterface
  public interface ReadinessCheck {
    boolean isReady() throws Exception;
  }

  private final String name;
  private final List<String> command;
  private final Path logFile;
  private final String stopSignal;
  private final ReadinessCheck readiness;
  private @Nullable Process process;

  /**
   * @param name a short name for logs and messages, for example {@code redis:6379}
   * @param command the full command line
   * @param logFile where the server's output goes (appended across restarts)
   * @param stopSignal the signal for a graceful stop ({@code TERM}, or {@code INT} for PostgreSQL's
   *     fast shutdown)
   * @param readiness how to tell that the server accepts work
   */
  public ServerProcess(
      String name,
      List<String> command,
      Path logFile,
      String stopSignal,
      ReadinessCheck readiness) {
    this.name = name;
    this.command = List.copyOf(command);
    this.logFile = logFile;
    this.stopSignal = stopSignal;
    this.readiness = readiness;
  }

  public String name() {
    return name;
  }

  /** Starts the process and waits until it is ready; does nothing if it is running. */
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    long began = System.nanoTime();
    try {
      Files.createDirectories(logFile.getParent());
      Process started =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .start();
      process = started;
      Watchdog.guard(started.pid());
      awaitReady(started);
      log.info(
          "{} is up in {} ms (pid {}, log {})",
          name,
          Duration.ofNanos(System.nanoTime() - began).toMillis(),
          started.pid(),
          logFile);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name + ": " + String.join(" ", command), e);
    }
  }

  /** Stops the process gracefully, killing it if it does not stop in time. */
  public synchronized void stop() {
    Process running = process;
    if (running == null || !running.isAlive()) {
      return;
    }
    signal(running.pid(), stopSignal);
    try {
      if (!running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("{} did not stop within {}; killing it", name, STOP_TIMEOUT);
        kill();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
    }
  }

  /** Kills the process and its children at once (SIGKILL), as a crash would. */
  public synchronized void kill() {
    Process running = process;
    if (running == null) {
      return;
    }
    List<ProcessHandle> all = new ArrayList<>();
    running.descendants().forEach(all::add);
    all.add(running.toHandle());
    all.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle handle : all) {
      handle.onExit().join();
    }
  }

  /** The process id of the running server. */
  public synchronized long pid() {
    Process running = process;
    if (running == null || !running.isAlive()) {
      throw new IllegalStateException(name + " is not running");
    }
    return running.pid();
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  private void awaitReady(Process started) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    Exception lastFailure = null;
    while (System.nanoTime() < deadline) {
      if (!started.isAlive()) {
        throw new IllegalStateException(
            name + " exited with code " + started.exitValue() + " while starting" + logTail());
      }
      try {
        if (readiness.isReady()) {
          return;
        }
      } catch (Exception e) {
        lastFailure = e;
      }
      pause();
    }
    kill();
    IllegalStateException failure =
        new IllegalStateException(name + " was not ready within " + READY_TIMEOUT + logTail());
    if (lastFailure != null) {
      failure.addSuppressed(lastFailure);
    }
    throw failure;
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      List<String> tail = lines.subList(Math.max(0, lines.size() - 20), lines.size());
      return "; last lines of " + logFile + ":\n  " + String.join("\n  ", tail);
    } catch (IOException e) {
      return "; its log " + logFile + " cannot be read: " + e;
    }
  }

  private static void pause() {
    try {
      Thread.sleep(25);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a server to start", e);
    }
  }

  static void signal(long pid, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
      kill.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot send SIG" + signal + " to " + pid, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
