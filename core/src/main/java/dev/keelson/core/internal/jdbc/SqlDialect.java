package dev.keelson.core.internal.jdbc;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The databases Keelson's JDBC backends speak: PostgreSQL in production, H2 as the embedded
 * default. Found from the connection's metadata, so users never name it.
 */
public enum SqlDialect {
  POSTGRESQL("postgresql"),
  H2("h2");

  private final String fileSuffix;

  SqlDialect(String fileSuffix) {
    this.fileSuffix = fileSuffix;
  }

  /**
   * @return the suffix of this dialect's DDL files, as in {@code leases-postgresql.sql}
   */
  public String fileSuffix() {
    return fileSuffix;
  }

  /**
   * The dialect of a connection's database.
   *
   * @param connection an open connection
   * @return its dialect
   * @throws SQLException if the metadata cannot be read
   * @throws IllegalStateException if the database is neither PostgreSQL nor H2
   */
  public static SqlDialect of(Connection connection) throws SQLException {
    String product = connection.getMetaData().getDatabaseProductName();
    if ("PostgreSQL".equals(product)) {
      return POSTGRESQL;
    }
    if ("H2".equals(product)) {
      return H2;
    }
    throw new IllegalStateException(
        "the database is " + product + ": Keelson's JDBC backends speak PostgreSQL and H2");
  }

  /**
   * Whether an exception says a unique constraint refused a row (SQLSTATE 23505 on both): for H2,
   * whose upserts can race on a new key.
   *
   * @param e the exception
   * @return true for a unique violation
   */
  public static boolean isUniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState());
  }
}
