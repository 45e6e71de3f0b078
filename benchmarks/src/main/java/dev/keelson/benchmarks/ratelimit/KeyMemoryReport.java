package dev.keelson.benchmarks.ratelimit;

import dev.keelson.ratelimit.InProcessRateLimiter;
import dev.keelson.ratelimit.RateLimit;
import dev.keelson.ratelimit.redis.RedisRateLimiter;
import dev.keelson.testing.Servers;
import io.github.bucket4j.Bucket;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Memory per rate-limited key: on the heap for the in-process limiters (heap used after a full GC,
 * before and after filling 200,000 keys; the key strings themselves excluded), and in Redis for
 * each algorithm ({@code MEMORY USAGE} of a key). Writes {@code KEYS.md}: {@code java -cp
 * benchmarks.jar dev.keelson.benchmarks.ratelimit.KeyMemoryReport OUT_DIR}.
 */
public final class KeyMemoryReport {

  private static final Logger log = LoggerFactory.getLogger(KeyMemoryReport.class);
  private static final int KEYS = 200_000;
  private static final Duration SECOND = Duration.ofSeconds(1);

  private KeyMemoryReport() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "benchmarks");
    String[] keys = new String[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "user-" + i;
    }
    StringBuilder md = new StringBuilder();
    md.append("# Memory per rate-limited key\n\n")
        .append(
            "Written by `benchmarks/run.sh` (`KeyMemoryReport`). Heap: used heap after a full GC,")
        .append(" before and after filling ")
        .append(KEYS)
        .append(" keys, divided by the keys (the key strings themselves excluded; JDK ")
        .append(System.getProperty("java.version"))
        .append(", compressed pointers). Redis: `MEMORY USAGE` of one key after one decision.\n\n")
        .append("| where | state | bytes per key |\n|---|---|---:|\n");
    row(
        md,
        "heap",
        "baseline: `ConcurrentHashMap<String, AtomicLong>`",
        heapPerKey(
            keys,
            map -> {
              ConcurrentHashMap<String, AtomicLong> counters = new ConcurrentHashMap<>();
              for (String key : keys) {
                counters.put(key, new AtomicLong());
              }
              map.accept(counters);
            }));
    for (RateLimit limit : limits()) {
      row(
          md,
          "heap",
          "Keelson `InProcessRateLimiter`, " + limit.algorithm(),
          heapPerKey(
              keys,
              keep -> {
                InProcessRateLimiter limiter = InProcessRateLimiter.of(limit);
                for (String key : keys) {
                  limiter.tryAcquire(key, 1);
                }
                keep.accept(limiter);
              }));
    }
    row(
        md,
        "heap",
        "Bucket4j bucket per key in a `ConcurrentHashMap`",
        heapPerKey(
            keys,
            keep -> {
              ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
              for (String key : keys) {
                buckets
                    .computeIfAbsent(key, k -> KeyedRateLimitBenchmark.newBucket())
                    .tryConsume(1);
              }
              keep.accept(buckets);
            }));
    redisRows(md);
    Files.createDirectories(out);
    Path file = out.resolve("KEYS.md");
    Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    log.info("memory per key: report {}", file);
  }

  private static List<RateLimit> limits() {
    return List.of(
        RateLimit.tokenBucket("user", 100, SECOND),
        RateLimit.slidingWindow("user", 100, SECOND),
        RateLimit.fixedWindow("user", 100, SECOND),
        RateLimit.slidingLog("user", 100, SECOND));
  }

  private static void redisRows(StringBuilder md) {
    RedisClient client = RedisClient.create();
    try (StatefulRedisConnection<String, String> connection = client.connect(Servers.redis())) {
      for (RateLimit limit : limits()) {
        RedisRateLimiter limiter = RedisRateLimiter.on(connection, limit);
        String key = "memory-" + limit.algorithm();
        limiter.tryAcquire(key, 1);
        Long bytes = connection.sync().memoryUsage(limiter.redisKey(key));
        row(
            md,
            "Redis",
            limit.algorithm() + ", key `" + limiter.redisKey(key) + "` (1 permit logged)",
            bytes == null ? Double.NaN : bytes);
      }
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
  }

  private static void row(StringBuilder md, String where, String state, double bytes) {
    md.append(String.format(Locale.ROOT, "| %s | %s | %.0f |%n", where, state, bytes));
  }

  /** Heap added per key by what {@code fill} builds and hands to the keeper. */
  private static double heapPerKey(String[] keys, Consumer<Consumer<Object>> fill) {
    List<Object> kept = new ArrayList<>();
    long before = usedAfterGc();
    fill.accept(kept::add);
    long after = usedAfterGc();
    double perKey = (double) (after - before) / keys.length;
    kept.clear();
    return perKey;
  }

  private static long usedAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return runtime.totalMemory() - runtime.freeMemory();
  }
}
