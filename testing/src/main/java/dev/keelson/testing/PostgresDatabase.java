package dev.keelson.testing;

import dev.keelson.testing.internal.PostgresEndpoint;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh PostgreSQL database that belongs to one test class: created on a real server before the
 * class runs and dropped after it. Injected by {@link WithPostgres}.
 */
public final class PostgresDatabase {

  private final PostgresEndpoint endpoint;
  private final String name;
  private final boolean dedicated;

  PostgresDatabase(PostgresEndpoint endpoint, String name, boolean dedicated) {
    this.endpoint = endpoint;
    this.name = name;
    this.dedicated = dedicated;
  }

  /**
   * @return the database's name
   */
  public String name() {
    return name;
  }

  /**
   * @return a JDBC URL of this database
   */
  public String jdbcUrl() {
    return endpoint.jdbcUrl(name);
  }

  /**
   * @return the user to connect as
   */
  public String user() {
    return endpoint.user();
  }

  /**
   * @return that user's password (empty for trust authentication)
   */
  public String password() {
    return endpoint.password();
  }

  /**
   * @return the server's host
   */
  public String host() {
    return endpoint.host();
  }

  /**
   * @return the server's port
   */
  public int port() {
    return endpoint.port();
  }

  /**
   * @return how the server was provided, for reports
   */
  public String description() {
    return endpoint.description();
  }

  /**
   * A data source of this database, opening a new physical connection each time (no pool).
   *
   * @return the data source
   */
  public DataSource dataSource() {
    return dataSource(endpoint.host(), endpoint.port());
  }

  /**
   * A data source of this database whose connections go through a fault proxy, started on this
   * database's {@link #host()} and {@link #port()}.
   *
   * @param proxy the proxy
   * @return the data source, opening a new physical connection each time (no pool)
   */
  public DataSource dataSourceThrough(FaultProxy proxy) {
    return dataSource(proxy.host(), proxy.port());
  }

  private DataSource dataSource(String host, int port) {
    PGSimpleDataSource dataSource = new PGSimpleDataSource();
    dataSource.setServerNames(new String[] {host});
    dataSource.setPortNumbers(new int[] {port});
    dataSource.setDatabaseName(name);
    dataSource.setUser(endpoint.user());
    dataSource.setPassword(endpoint.password());
    return dataSource;
  }

  /**
   * Opens a connection to this database; the caller closes it.
   *
   * @return the connection
   * @throws SQLException if the server refuses
   */
  public Connection connect() throws SQLException {
    return open(endpoint, name);
  }

  /**
   * Controls the server process: stop, kill, restart on the same port.
   *
   * @return the control
   * @throws IllegalStateException unless the class declared {@code @WithPostgres(dedicated = true)}
   */
  public ServerControl control() {
    return ProcessControl.of(endpoint.process(), dedicated, "@WithPostgres");
  }

  static Connection open(PostgresEndpoint endpoint, String database) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", endpoint.user());
    properties.setProperty("password", endpoint.password());
    return DriverManager.getConnection(endpoint.jdbcUrl(database), properties);
  }

  @Override
  public String toString() {
    return "PostgresDatabase[" + name + " on " + description() + "]";
  }
}
