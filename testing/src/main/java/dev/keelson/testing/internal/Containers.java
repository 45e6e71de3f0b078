package dev.keelson.testing.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * Servers in Docker containers, through Testcontainers, for machines that have a Docker engine.
 * Only shared standalone servers come from here: a Redis Cluster's nodes announce addresses that
 * Docker's port mapping hides from the host, and fault tests need a process they can kill.
 */
final class Containers {

  private Containers() {}

  /**
   * Whether a Docker engine is reachable. Asks Testcontainers only when there is a sign of one, so
   * a machine without Docker neither waits for nor logs a failed probe.
   */
  static boolean dockerAvailable() {
    if (Settings.DOCKER.value().map("false"::equalsIgnoreCase).orElse(false)) {
      return false;
    }
    String home = System.getProperty("user.home");
    boolean hinted =
        System.getenv("DOCKER_HOST") != null
            || Files.exists(Path.of("/var/run/docker.sock"))
            || Files.exists(Path.of(home, ".docker", "run", "docker.sock"))
            || Files.exists(Path.of(home, ".testcontainers.properties"));
    return hinted && DockerClientFactory.instance().isDockerAvailable();
  }

  static Started<RedisEndpoint> redis() {
    String image = Settings.REDIS_IMAGE.value().orElse("redis:7.4-alpine");
    GenericContainer<?> container =
        new GenericContainer<>(DockerImageName.parse(image))
            .withExposedPorts(6379)
            .waitingFor(Wait.forListeningPort());
    container.start();
    RedisEndpoint endpoint =
        new RedisEndpoint(
            io.lettuce.core.RedisURI.create(container.getHost(), container.getMappedPort(6379)),
            "Docker container " + image + " (Testcontainers)",
            null);
    return new Started<>(endpoint, container::stop);
  }

  static Started<PostgresEndpoint> postgres() {
    String image = Settings.POSTGRES_IMAGE.value().orElse("postgres:17-alpine");
    GenericContainer<?> container =
        new GenericContainer<>(DockerImageName.parse(image))
            .withExposedPorts(5432)
            .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust")
            .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=200")
            // The image's entrypoint starts the server twice (setup, then for real).
            .waitingFor(
                Wait.forLogMessage(".*database system is ready to accept connections.*\\s", 2)
                    .withStartupTimeout(Duration.ofMinutes(2)));
    container.start();
    PostgresEndpoint endpoint =
        new PostgresEndpoint(
            container.getHost(),
            container.getMappedPort(5432),
            "postgres",
            "",
            "postgres",
            "Docker container " + image + " (Testcontainers)",
            null);
    return new Started<>(endpoint, container::stop);
  }

  static Started<KafkaEndpoint> kafka() {
    String image = Settings.KAFKA_IMAGE.value().orElse("apache/kafka:4.2.0");
    // A mirror of the official image (KEELSON_KAFKA_IMAGE) is started the same way.
    KafkaContainer container =
        new KafkaContainer(DockerImageName.parse(image).asCompatibleSubstituteFor("apache/kafka"));
    container.start();
    KafkaEndpoint endpoint =
        new KafkaEndpoint(
            container.getBootstrapServers(),
            "Docker container " + image + " (Testcontainers)",
            null);
    return new Started<>(endpoint, container::stop);
  }
}
