package dev.keelson.testing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NoOrphanServersTest {

  @Test
  void aServerDiesWithTheJvmThatStartedItEvenAfterKillDashNine() throws Exception {
    assertDiesWithItsJvm("redis");
  }

  @Test
  void aKafkaBrokerDiesWithTheJvmThatStartedItEvenAfterKillDashNine() throws Exception {
    assertDiesWithItsJvm("kafka");
  }

  private static void assertDiesWithItsJvm(String kind) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-Dkeelson.testing.workDir=" + Settings.workDir(),
                OrphanProbe.class.getName(),
                kind)
            .redirectErrorStream(true)
            .start();
    long serverPid;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      serverPid = readServerPid(out);
      ProcessHandle server = ProcessHandle.of(serverPid).orElseThrow();
      assertThat(server.isAlive()).isTrue();

      child.destroyForcibly(); // SIGKILL: no shutdown hook runs
      child.waitFor(10, TimeUnit.SECONDS);

      Optional<ProcessHandle> gone = ProcessHandle.of(serverPid);
      boolean exited =
          gone.isEmpty()
              || gone.get().onExit().completeOnTimeout(null, 15, TimeUnit.SECONDS).join() != null;
      assertThat(exited).as("%s pid %d outlived its JVM", kind, serverPid).isTrue();
    }
  }

  private static long readServerPid(BufferedReader out) throws Exception {
    String line;
    StringBuilder seen = new StringBuilder();
    while ((line = out.readLine()) != null) {
      if (line.startsWith("server-pid=")) {
        return Long.parseLong(line.substring("server-pid=".length()));
      }
      seen.append(line).append('\n');
    }
    throw new AssertionError("the probe JVM never reported its server:\n" + seen);
  }
}
