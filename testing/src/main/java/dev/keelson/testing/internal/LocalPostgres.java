package dev.keelson.testing.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A PostgreSQL server process on a free loopback port: a fresh cluster made by {@code initdb}
 * (trust authentication, user {@code postgres}), tuned for tests (no fsync), stopped with a fast
 * shutdown. When the JVM runs as root the server runs as {@code nobody} (see {@link RunAs}).
 */
public final class LocalPostgres implements AutoCloseable {

  public static final String USER = "postgres";

  private final int port;
  private final ServerProcess process;
  private final String description;
  private final Path home;
  private final boolean deleteHomeOnClose;

  private LocalPostgres(
      int port, ServerProcess process, String description, Path home, boolean deleteHomeOnClose) {
    this.port = port;
    this.process = process;
    this.description = description;
    this.home = home;
    this.deleteHomeOnClose = deleteHomeOnClose;
  }

  public static LocalPostgres start() {
    PostgresBinaries binaries = PostgresBinaries.find();
    RunAs runAs = RunAs.current();
    int port = Ports.freePort();
    Path base = Settings.workDir();
    boolean underWorkDir = runAs.canReach(base);
    Path home;
    try {
      if (underWorkDir) {
        home = Platform.freshDirectory(base.resolve("postgres-" + port));
      } else {
        // The unprivileged user cannot reach the build folder (a home folder with mode 700):
        // keep the data in the temp folder instead and remove it when the server stops.
        home = Files.createTempDirectory("keelson-postgres-" + port + "-");
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a folder for PostgreSQL under " + base, e);
    }
    Path data = home.resolve("data");
    try {
      Files.createDirectories(data);
      Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + data, e);
    }
    runAs.own(home);
    RunAs.run(
        runAs
            .command(
                List.of(
                    binaries.initdb().toString(),
                    "-D",
                    data.toString(),
                    "-U",
                    USER,
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "-N"))
            .toArray(String[]::new));
    List<String> command = new ArrayList<>();
    command.add(binaries.postgres().toString());
    command.addAll(List.of("-D", data.toString(), "-p", Integer.toString(port)));
    for (String setting :
        List.of(
            "listen_addresses=127.0.0.1",
            "unix_socket_directories=",
            "max_connections=200",
            // Test data need not survive a machine crash. A process crash (kill -9) keeps every
            // commit anyway: commits still write their WAL to the kernel before returning.
            "fsync=off",
            "full_page_writes=off")) {
      command.add("-c");
      command.add(setting);
    }
    ServerProcess process =
        new ServerProcess(
            "postgres:" + port,
            runAs.command(command),
            home.resolve("postgres.log"),
            "INT",
            () -> answersQuery(port));
    process.start();
    String description =
        "local PostgreSQL on 127.0.0.1:"
            + port
            + " running "
            + runAs.describe()
            + " ("
            + binaries.origin()
            + ", data "
            + data
            + ")";
    return new LocalPostgres(port, process, description, home, !underWorkDir);
  }

  public int port() {
    return port;
  }

  public ServerProcess process() {
    return process;
  }

  public String description() {
    return description;
  }

  @Override
  public void close() {
    process.stop();
    if (deleteHomeOnClose && Files.exists(home)) {
      Platform.deleteRecursively(home);
    }
  }

  private static boolean answersQuery(int port) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", USER);
    properties.setProperty("connectTimeout", "2");
    try (Connection connection =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres", properties);
        Statement statement = connection.createStatement()) {
      return statement.execute("SELECT 1");
    }
  }
}
