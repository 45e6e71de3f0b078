package dev.keelson.testing.internal;

/**
 * A provided server and what releases it: stops a process or container, or does nothing for an
 * external server.
 *
 * @param endpoint how to reach the server
 * @param release what releases it
 * @param <E> the endpoint type
 */
public record Started<E>(E endpoint, Runnable release) implements AutoCloseable {

  @Override
  public void close() {
    release.run();
  }
}
