package dev.keelson.testing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When a server cannot be provided, the failure says how to provide one. */
class ProvisioningErrorsTest {

  @AfterEach
  void clearSettings() {
    System.clearProperty("keelson.redis.server");
  }

  @Test
  void aMisconfiguredRedisBinaryIsNamedWithTheSettingToFix() {
    System.setProperty("keelson.redis.server", "/nonexistent/redis-server");

    assertThatThrownBy(() -> LocalRedis.start(false, false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("/nonexistent/redis-server")
        .hasMessageContaining("KEELSON_REDIS_SERVER");
  }

  @Test
  void aBadPostgresUrlSaysWhatShapeIsExpected() {
    assertThatThrownBy(() -> ExternalPostgres.parse("postgres://localhost/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KEELSON_POSTGRES_URL")
        .hasMessageContaining("jdbc:postgresql://host:port/database");
  }

  @Test
  void anExplicitPostgresUrlIsReadWithItsDefaults() {
    PostgresEndpoint endpoint = ExternalPostgres.parse("jdbc:postgresql://db.internal:6543/admin");

    assertThat(endpoint.host()).isEqualTo("db.internal");
    assertThat(endpoint.port()).isEqualTo(6543);
    assertThat(endpoint.adminDatabase()).isEqualTo("admin");
    assertThat(endpoint.user()).isEqualTo("postgres");
    assertThat(endpoint.process()).isNull();
  }

  @Test
  void anExternalKafkaThatDoesNotAnswerIsNamedWithTheSettingToFix() {
    String nothing = "127.0.0.1:" + Ports.freePort();

    assertThatThrownBy(() -> ExternalKafka.connect(nothing, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("external Kafka " + nothing)
        .hasMessageContaining("KEELSON_KAFKA_BOOTSTRAP")
        .hasMessageContaining("did not answer within 1 s");
  }

  @Test
  void aMalformedKafkaBootstrapSaysWhatShapeIsExpected() {
    assertThatThrownBy(() -> ExternalKafka.parse("PLAINTEXT://broker:9092"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("KEELSON_KAFKA_BOOTSTRAP")
        .hasMessageContaining("host:port");
    assertThatThrownBy(() -> ExternalKafka.parse("broker:0"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anExplicitKafkaBootstrapIsReadAsHostAndPort() {
    String addresses = ExternalKafka.parse(" [::1]:9093 , broker-2.internal:9092 ");
    KafkaEndpoint endpoint = new KafkaEndpoint(addresses, "external", null);

    assertThat(addresses).isEqualTo("[::1]:9093,broker-2.internal:9092");
    assertThat(endpoint.host()).isEqualTo("::1");
    assertThat(endpoint.port()).isEqualTo(9093);
  }

  @Test
  void aServerThatDiesWhileStartingReportsItsLog() throws Exception {
    Path log = Files.createTempFile("keelson-failing-server", ".log");
    ServerProcess failing =
        new ServerProcess(
            "failing",
            java.util.List.of("sh", "-c", "echo bad config >&2; exit 3"),
            log,
            "TERM",
            () -> false);

    assertThatThrownBy(failing::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited with code 3")
        .hasMessageContaining("bad config");
  }
}
