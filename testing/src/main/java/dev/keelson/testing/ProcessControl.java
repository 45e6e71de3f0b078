package dev.keelson.testing;

import dev.keelson.testing.internal.ServerProcess;
import org.jspecify.annotations.Nullable;

/** A {@link ServerControl} over a local server process. */
final class ProcessControl implements ServerControl {

  private final ServerProcess process;

  private ProcessControl(ServerProcess process) {
    this.process = process;
  }

  /**
   * The control of a server, if the test class may control it: only a dedicated server, so that
   * killing it disturbs no other class.
   */
  static ServerControl of(@Nullable ServerProcess process, boolean dedicated, String annotation) {
    if (!dedicated || process == null) {
      throw new IllegalStateException(
          "only a dedicated server can be stopped or killed, so other test classes are not"
              + " disturbed: annotate the class "
              + annotation
              + "(dedicated = true)");
    }
    return new ProcessControl(process);
  }

  @Override
  public void stop() {
    process.stop();
  }

  @Override
  public void kill() {
    process.kill();
  }

  @Override
  public void start() {
    process.start();
  }

  @Override
  public boolean isRunning() {
    return process.isRunning();
  }

  @Override
  public String toString() {
    return "ServerControl[" + process.name() + "]";
  }
}
