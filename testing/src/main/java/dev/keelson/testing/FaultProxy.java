package dev.keelson.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy on a loopback port, placed between a client and a server, that injects network faults
 * on command: latency, a blackhole (connections accepted, nothing delivered), a reset of every open
 * connection, refusal of new connections. {@link #heal()} ends them all.
 *
 * <p>Traffic held by latency or a blackhole is delivered in order once it is due, as TCP would
 * after a partition heals. Every method is safe to call from any thread.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(redis.host(), redis.port())) {
 *   RedisURI viaProxy = RedisURI.create(proxy.host(), proxy.port());
 *   proxy.addLatency(Duration.ofMillis(100));
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(FaultProxy.class);
  private static final AtomicInteger PROXIES = new AtomicInteger();
  private static final byte[] END_OF_STREAM = new byte[0];

  private final InetSocketAddress target;
  private final ServerSocket listener;
  private final ExecutorService threads;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private volatile long latencyNanos;
  private volatile boolean refusing;
  private boolean blackholed; // guarded by gate

  private FaultProxy(InetSocketAddress target, ServerSocket listener) {
    this.target = target;
    this.listener = listener;
    int id = PROXIES.incrementAndGet();
    AtomicInteger thread = new AtomicInteger();
    ThreadFactory factory =
        runnable -> {
          Thread t = new Thread(runnable, "fault-proxy-" + id + "-" + thread.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    this.threads = Executors.newCachedThreadPool(factory);
  }

  /**
   * Starts a proxy to a server.
   *
   * @param targetHost the server's host
   * @param targetPort the server's port
   * @return the running proxy, listening on a free loopback port
   */
  public static FaultProxy start(String targetHost, int targetPort) {
    Objects.requireNonNull(targetHost, "targetHost");
    if (targetPort < 1 || targetPort > 65535) {
      throw new IllegalArgumentException("targetPort: " + targetPort + " is not in 1..65535");
    }
    try {
      ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      FaultProxy proxy = new FaultProxy(new InetSocketAddress(targetHost, targetPort), listener);
      proxy.threads.execute(proxy::acceptLoop);
      return proxy;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open a proxy port", e);
    }
  }

  /**
   * @return the host clients connect to instead of the server
   */
  public String host() {
    return listener.getInetAddress().getHostAddress();
  }

  /**
   * @return the port clients connect to instead of the server
   */
  public int port() {
    return listener.getLocalPort();
  }

  /**
   * Delays every chunk of data by this much, in each direction, from now on.
   *
   * @param latency the added delay, zero or more
   */
  public void addLatency(Duration latency) {
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency: " + latency + " is negative");
    }
    latencyNanos = latency.toNanos();
  }

  /**
   * Holds all traffic, both ways, on open and new connections: clients can connect and send, and
   * never get an answer, like a network that drops packets. Held data flows after {@link #heal()}.
   */
  public void blackhole() {
    synchronized (gate) {
      blackholed = true;
    }
  }

  /** Resets every open connection (TCP RST); clients see their connection closed. */
  public void resetAll() {
    for (Link link : links) {
      link.reset();
    }
  }

  /** Resets new connections as soon as they are accepted; open ones carry on. */
  public void refuseNew() {
    refusing = true;
  }

  /** Ends every fault: no latency, no blackhole (held traffic flows), new connections accepted. */
  public void heal() {
    latencyNanos = 0;
    refusing = false;
    synchronized (gate) {
      blackholed = false;
      gate.notifyAll();
    }
  }

  /**
   * @return how many client connections are open through the proxy
   */
  public int openConnections() {
    return links.size();
  }

  /** Stops listening and resets every open connection. */
  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      log.debug("closing the proxy listener failed", e);
    }
    resetAll();
    heal();
    threads.shutdownNow();
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (refusing) {
        abort(client);
        continue;
      }
      threads.execute(() -> connect(client));
    }
  }

  private void connect(Socket client) {
    Socket server = new Socket();
    try {
      server.connect(target, 5_000);
    } catch (IOException e) {
      log.debug("proxy cannot reach {}; resetting the client", target, e);
      abort(client);
      abort(server);
      return;
    }
    Link link = new Link(client, server);
    links.add(link);
    link.start();
  }

  private void awaitOpenGate() throws InterruptedException {
    synchronized (gate) {
      while (blackholed) {
        gate.wait();
      }
    }
  }

  private static void abort(Socket socket) {
    try {
      if (!socket.isClosed()) {
        socket.setSoLinger(true, 0); // close with RST, not FIN
      }
    } catch (SocketException e) {
      // already gone
    }
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }

  /** One client connection and its server connection, pumped both ways. */
  private final class Link {
    private final Socket client;
    private final Socket server;
    private final AtomicInteger openDirections = new AtomicInteger(2);

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void start() {
      pump(client, server);
      pump(server, client);
    }

    void reset() {
      abort(client);
      abort(server);
      links.remove(this);
    }

    /** A reader queues chunks with the time they are due; a writer delivers them in order. */
    private void pump(Socket from, Socket to) {
      BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
      threads.execute(() -> read(from, queue));
      threads.execute(() -> write(queue, to));
    }

    private void read(Socket from, BlockingQueue<Chunk> queue) {
      byte[] buffer = new byte[16 * 1024];
      try (InputStream in = from.getInputStream()) {
        int n;
        while ((n = in.read(buffer)) != -1) {
          queue.add(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime() + latencyNanos));
        }
        queue.add(new Chunk(END_OF_STREAM, System.nanoTime() + latencyNanos));
      } catch (IOException e) {
        reset();
      }
    }

    private void write(BlockingQueue<Chunk> queue, Socket to) {
      try {
        OutputStream out = to.getOutputStream();
        while (true) {
          Chunk chunk = queue.take();
          long wait = chunk.dueNanos - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
          awaitOpenGate();
          if (chunk.data == END_OF_STREAM) {
            to.shutdownOutput();
            if (openDirections.decrementAndGet() == 0) {
              reset();
            }
            return;
          }
          out.write(chunk.data);
          out.flush();
        }
      } catch (IOException e) {
        reset();
      } catch (InterruptedException e) {
        reset();
        Thread.currentThread().interrupt();
      }
    }
  }

  private static final class Chunk {
    final byte[] data;
    final long dueNanos;

    Chunk(byte[] data, long dueNanos) {
      this.data = data;
      this.dueNanos = dueNanos;
    }
  }
}
