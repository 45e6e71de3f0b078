package dev.keelson.testing.internal;

import io.lettuce.core.RedisURI;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The servers of this JVM. Shared servers start on first use and serve every test class; a
 * dedicated server serves one class (a fault test that kills it disturbs nobody else). All of them
 * stop when the JVM exits, newest first.
 *
 * <p>A shared server comes from the first source that works: an explicit address (system property
 * or environment variable), then Docker through Testcontainers, then a local process. Dedicated
 * servers are always local processes, since only those can be killed and restarted.
 */
public final class SharedServers {

  private static final Logger log = LoggerFactory.getLogger(SharedServers.class);
  private static final Deque<AutoCloseable> RUNNING = new ArrayDeque<>();
  private static @Nullable RedisEndpoint redis;
  private static @Nullable RedisClusterEndpoint redisCluster;
  private static @Nullable PostgresEndpoint postgres;
  private static @Nullable KafkaEndpoint kafka;

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(SharedServers::stopAll, "keelson-servers-shutdown"));
  }

  private SharedServers() {}

  public static synchronized RedisEndpoint redis() {
    if (redis == null) {
      redis = provide("Redis", SharedServers::provideRedis);
    }
    return redis;
  }

  public static synchronized RedisClusterEndpoint redisCluster() {
    if (redisCluster == null) {
      redisCluster = provide("Redis Cluster", SharedServers::provideRedisCluster);
    }
    return redisCluster;
  }

  public static synchronized PostgresEndpoint postgres() {
    if (postgres == null) {
      postgres = provide("PostgreSQL", SharedServers::providePostgres);
    }
    return postgres;
  }

  public static synchronized KafkaEndpoint kafka() {
    if (kafka == null) {
      kafka = provide("Kafka", SharedServers::provideKafka);
    }
    return kafka;
  }

  /** A local Redis for one caller, who closes it; the JVM's exit stops it otherwise. */
  public static Started<RedisEndpoint> dedicatedRedis(boolean appendOnly) {
    return track(localRedis(appendOnly));
  }

  public static Started<RedisClusterEndpoint> dedicatedRedisCluster() {
    return track(localRedisCluster());
  }

  public static Started<PostgresEndpoint> dedicatedPostgres() {
    return track(localPostgres());
  }

  public static Started<KafkaEndpoint> dedicatedKafka() {
    return track(localKafka());
  }

  private static <E> E provide(String what, Supplier<Started<E>> source) {
    Started<E> started = track(source.get());
    log.info("{} for tests: {}", what, describe(started.endpoint()));
    return started.endpoint();
  }

  private static String describe(Object endpoint) {
    if (endpoint instanceof RedisEndpoint) {
      return ((RedisEndpoint) endpoint).description();
    }
    if (endpoint instanceof RedisClusterEndpoint) {
      return ((RedisClusterEndpoint) endpoint).description();
    }
    if (endpoint instanceof KafkaEndpoint) {
      return ((KafkaEndpoint) endpoint).description();
    }
    return ((PostgresEndpoint) endpoint).description();
  }

  private static Started<RedisEndpoint> provideRedis() {
    Optional<String> uri = Settings.REDIS_URI.value();
    if (uri.isPresent()) {
      RedisEndpoint external =
          new RedisEndpoint(
              RedisURI.create(uri.get()),
              "external Redis " + uri.get() + " (" + Settings.REDIS_URI.describe() + ")",
              null);
      return new Started<>(external, () -> {});
    }
    if (Containers.dockerAvailable()) {
      return Containers.redis();
    }
    return localRedis(false);
  }

  private static Started<RedisClusterEndpoint> provideRedisCluster() {
    Optional<String> uris = Settings.REDIS_CLUSTER_URI.value();
    if (uris.isPresent()) {
      List<RedisURI> seeds =
          Arrays.stream(uris.get().split(",")).map(String::trim).map(RedisURI::create).toList();
      RedisClusterEndpoint external =
          new RedisClusterEndpoint(
              seeds,
              "external Redis Cluster "
                  + uris.get()
                  + " ("
                  + Settings.REDIS_CLUSTER_URI.describe()
                  + ")",
              List.of());
      return new Started<>(external, () -> {});
    }
    return localRedisCluster();
  }

  private static Started<PostgresEndpoint> providePostgres() {
    Optional<String> url = Settings.POSTGRES_URL.value();
    if (url.isPresent()) {
      return new Started<>(ExternalPostgres.parse(url.get()), () -> {});
    }
    if (Containers.dockerAvailable()) {
      return Containers.postgres();
    }
    return localPostgres();
  }

  private static Started<KafkaEndpoint> provideKafka() {
    Optional<String> bootstrap = Settings.KAFKA_BOOTSTRAP.value();
    if (bootstrap.isPresent()) {
      return new Started<>(
          ExternalKafka.connect(bootstrap.get(), ExternalKafka.ANSWER_TIMEOUT), () -> {});
    }
    if (Containers.dockerAvailable()) {
      return Containers.kafka();
    }
    return localKafka();
  }

  private static Started<RedisEndpoint> localRedis(boolean appendOnly) {
    LocalRedis local = LocalRedis.start(appendOnly, false);
    return new Started<>(
        new RedisEndpoint(local.uri(), local.description(), local.process()), local::close);
  }

  private static Started<RedisClusterEndpoint> localRedisCluster() {
    LocalRedisCluster cluster = LocalRedisCluster.start();
    List<ServerProcess> processes = cluster.nodes().stream().map(LocalRedis::process).toList();
    return new Started<>(
        new RedisClusterEndpoint(cluster.uris(), cluster.description(), processes), cluster::close);
  }

  private static Started<PostgresEndpoint> localPostgres() {
    LocalPostgres local = LocalPostgres.start();
    PostgresEndpoint endpoint =
        new PostgresEndpoint(
            "127.0.0.1",
            local.port(),
            LocalPostgres.USER,
            "",
            "postgres",
            local.description(),
            local.process());
    return new Started<>(endpoint, local::close);
  }

  private static Started<KafkaEndpoint> localKafka() {
    LocalKafka local = LocalKafka.start();
    return new Started<>(
        new KafkaEndpoint(local.bootstrapServers(), local.description(), local.process()),
        local::close);
  }

  /** Registers a server to stop at exit; closing the result stops it early and forgets it. */
  private static <E> Started<E> track(Started<E> started) {
    synchronized (RUNNING) {
      RUNNING.push(started);
    }
    return new Started<>(
        started.endpoint(),
        () -> {
          synchronized (RUNNING) {
            RUNNING.remove(started);
          }
          started.close();
        });
  }

  private static void stopAll() {
    synchronized (RUNNING) {
      while (!RUNNING.isEmpty()) {
        try {
          RUNNING.pop().close();
        } catch (Exception e) {
          log.warn("could not stop a test server cleanly", e);
        }
      }
    }
  }
}
