package dev.keelson.testing.internal;

import java.net.URI;

/** Reads the address of a PostgreSQL server given by {@link Settings#POSTGRES_URL}. */
final class ExternalPostgres {

  private static final String PREFIX = "jdbc:";

  private ExternalPostgres() {}

  static PostgresEndpoint parse(String jdbcUrl) {
    if (!jdbcUrl.startsWith(PREFIX + "postgresql://")) {
      throw new IllegalArgumentException(
          Settings.POSTGRES_URL.describe()
              + ": expected jdbc:postgresql://host:port/database, got "
              + jdbcUrl);
    }
    URI uri = URI.create(jdbcUrl.substring(PREFIX.length()));
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    return new PostgresEndpoint(
        uri.getHost(),
        uri.getPort() == -1 ? 5432 : uri.getPort(),
        Settings.POSTGRES_USER.value().orElse("postgres"),
        Settings.POSTGRES_PASSWORD.value().orElse(""),
        path.isEmpty() ? "postgres" : path,
        "external PostgreSQL "
            + uri.getHost()
            + ":"
            + uri.getPort()
            + " ("
            + Settings.POSTGRES_URL.describe()
            + ")",
        null);
  }
}
