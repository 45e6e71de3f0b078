package dev.keelson.testing.internal;

import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL server the tests can use, however it was provided.
 *
 * @param host its host
 * @param port its port
 * @param user a user allowed to create databases
 * @param password that user's password (empty for trust authentication)
 * @param adminDatabase a database to connect to for {@code CREATE DATABASE}
 * @param description how it was provided, for the test report
 * @param process the local process, or null for an external server or a container
 */
public record PostgresEndpoint(
    String host,
    int port,
    String user,
    String password,
    String adminDatabase,
    String description,
    @Nullable ServerProcess process) {

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }
}
