package dev.keelson.testing.internal;

import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A {@code redis-server} process on a free loopback port, with its data under the work dir. */
public final class LocalRedis implements AutoCloseable {

  private final int port;
  private final ServerProcess process;
  private final String description;

  private LocalRedis(int port, ServerProcess process, String description) {
    this.port = port;
    this.process = process;
    this.description = description;
  }

  /**
   * Starts a server.
   *
   * @param appendOnly keep an append-only file fsynced on every write, so data survives kill -9
   * @param clusterEnabled start as an empty Cluster node
   */
  public static LocalRedis start(boolean appendOnly, boolean clusterEnabled) {
    RedisBinary binary = RedisBinary.find();
    int port = Ports.freePort();
    Path dir = Platform.freshDirectory(Settings.workDir().resolve("redis-" + port));
    List<String> command = new ArrayList<>();
    command.add(binary.path().toString());
    addOption(command, "port", Integer.toString(port));
    addOption(command, "bind", "127.0.0.1");
    addOption(command, "dir", dir.toString());
    addOption(command, "daemonize", "no");
    addOption(command, "protected-mode", "no");
    addOption(command, "save", "");
    addOption(command, "appendonly", appendOnly ? "yes" : "no");
    addOption(command, "appendfsync", "always");
    addOption(command, "loglevel", "warning");
    if (clusterEnabled) {
      addOption(command, "cluster-enabled", "yes");
      addOption(command, "cluster-config-file", "nodes.conf");
      addOption(command, "cluster-node-timeout", "2000");
    }
    ServerProcess process =
        new ServerProcess(
            "redis-server:" + port,
            command,
            dir.resolve("redis.log"),
            "TERM",
            () -> answersPing(port));
    process.start();
    String description =
        "local redis-server on 127.0.0.1:" + port + " (" + binary.origin() + ", data " + dir + ")";
    return new LocalRedis(port, process, description);
  }

  public int port() {
    return port;
  }

  public RedisURI uri() {
    return RedisURI.create("127.0.0.1", port);
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
  }

  private static void addOption(List<String> command, String name, String value) {
    command.add("--" + name);
    command.add(value);
  }

  /** A raw PING, so readiness needs no client (and sees -LOADING while an AOF replays). */
  static boolean answersPing(int port) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      socket.setSoTimeout(1000);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[7];
      int read = in.readNBytes(reply, 0, reply.length);
      return new String(reply, 0, read, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    }
  }
}
