package dev.keelson.testing;

import dev.keelson.testing.internal.PostgresEndpoint;
import dev.keelson.testing.internal.SharedServers;
import dev.keelson.testing.internal.Started;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Resolves {@link PostgresDatabase} parameters for classes annotated {@link WithPostgres}: a
 * database created for the class ({@code CREATE DATABASE}) and dropped after it.
 */
public final class PostgresExtension extends ServerExtension<WithPostgres, PostgresDatabase> {

  public PostgresExtension() {
    super(WithPostgres.class, PostgresDatabase.class);
  }

  @Override
  PostgresDatabase open(WithPostgres annotation, TestScope scope) {
    PostgresEndpoint endpoint;
    if (annotation.dedicated()) {
      Started<PostgresEndpoint> started = scope.register(SharedServers.dedicatedPostgres());
      endpoint = started.endpoint();
    } else {
      endpoint = SharedServers.postgres();
    }
    String name = "test_" + scope.uniqueName();
    admin(endpoint, "CREATE DATABASE " + name);
    // Dropped before a dedicated server stops (scopes release newest first).
    scope.register(() -> admin(endpoint, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    return new PostgresDatabase(endpoint, name, annotation.dedicated());
  }

  static void createDatabaseIfAbsent(PostgresEndpoint endpoint, String name) {
    try (Connection connection = PostgresDatabase.open(endpoint, endpoint.adminDatabase());
        var exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, name);
      try (var rows = exists.executeQuery()) {
        if (rows.next()) {
          return;
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot look up database " + name + " on " + endpoint.description(), e);
    }
    admin(endpoint, "CREATE DATABASE " + name);
  }

  private static void admin(PostgresEndpoint endpoint, String sql) {
    try (Connection connection = PostgresDatabase.open(endpoint, endpoint.adminDatabase());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot run '" + sql + "' on " + endpoint.description() + ": " + e.getMessage(), e);
    }
  }
}
