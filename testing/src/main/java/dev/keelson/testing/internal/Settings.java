package dev.keelson.testing.internal;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The knobs a developer or CI can turn, each as a system property or an environment variable (the
 * property wins). Listed in the testing module's README.
 */
public enum Settings {
  REDIS_URI("keelson.redis.uri", "KEELSON_REDIS_URI"),
  REDIS_CLUSTER_URI("keelson.redis.cluster.uri", "KEELSON_REDIS_CLUSTER_URI"),
  REDIS_SERVER_BINARY("keelson.redis.server", "KEELSON_REDIS_SERVER"),
  REDIS_IMAGE("keelson.redis.image", "KEELSON_REDIS_IMAGE"),
  POSTGRES_URL("keelson.postgres.url", "KEELSON_POSTGRES_URL"),
  POSTGRES_USER("keelson.postgres.user", "KEELSON_POSTGRES_USER"),
  POSTGRES_PASSWORD("keelson.postgres.password", "KEELSON_POSTGRES_PASSWORD"),
  POSTGRES_BIN_DIR("keelson.postgres.bin", "KEELSON_POSTGRES_BIN"),
  POSTGRES_IMAGE("keelson.postgres.image", "KEELSON_POSTGRES_IMAGE"),
  KAFKA_BOOTSTRAP("keelson.kafka.bootstrap", "KEELSON_KAFKA_BOOTSTRAP"),
  KAFKA_IMAGE("keelson.kafka.image", "KEELSON_KAFKA_IMAGE"),
  DOCKER("keelson.testing.docker", "KEELSON_TESTING_DOCKER"),
  WORK_DIR("keelson.testing.workDir", "KEELSON_TESTING_WORK_DIR");

  private final String property;
  private final String environmentVariable;

  Settings(String property, String environmentVariable) {
    this.property = property;
    this.environmentVariable = environmentVariable;
  }

  public Optional<String> value() {
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(environmentVariable);
    }
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  public String describe() {
    return "system property " + property + " or environment variable " + environmentVariable;
  }

  /** Where local servers keep their data: {@code target/keelson-servers} under Maven. */
  public static Path workDir() {
    return WORK_DIR
        .value()
        .map(Path::of)
        .orElseGet(() -> Path.of("target", "keelson-servers"))
        .toAbsolutePath();
  }
}
