package dev.keelson.testing;

/**
 * Controls a server process for fault tests. Restarts reuse the same port and data folder, so
 * clients can reconnect to the same address.
 */
public interface ServerControl {

  /** Stops the server gracefully and waits until it has exited. Does nothing if it is down. */
  void stop();

  /** Kills the server with SIGKILL, as a crash would, and waits until it has exited. */
  void kill();

  /** Starts the server again on the same port and waits until it answers. */
  void start();

  /** Stops the server gracefully, then starts it again. */
  default void restart() {
    stop();
    start();
  }

  /**
   * Whether the server process is alive.
   *
   * @return true while it runs
   */
  boolean isRunning();
}
