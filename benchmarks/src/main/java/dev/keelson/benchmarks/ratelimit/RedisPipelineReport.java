package dev.keelson.benchmarks.ratelimit;

import dev.keelson.ratelimit.RateLimit;
import dev.keelson.ratelimit.redis.RedisRateLimiter;
import dev.keelson.testing.Servers;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Async pipelined decisions on one connection against {@code redis-benchmark -P 32}, Redis's own
 * load generator, sending the same token bucket script with the same arguments over uniform keys to
 * the same server: how close the limiter gets to what Redis's single thread can do. JMH cannot host
 * an external load generator, so this is a report like the storm simulation: each side runs {@value
 * #DECISIONS} decisions with 32 in flight, three times, best of three. Writes {@code PIPELINE.md}:
 * {@code java -cp benchmarks.jar dev.keelson.benchmarks.ratelimit.RedisPipelineReport OUT_DIR
 * DECISIONS}.
 */
public final class RedisPipelineReport {

  private static final Logger log = LoggerFactory.getLogger(RedisPipelineReport.class);
  private static final int DECISIONS = 200_000;
  private static final int IN_FLIGHT = 32;
  private static final int KEYS = 10_000;
  private static final long LIMIT = 1_000_000;
  private static final Pattern RATE = Pattern.compile("([0-9.]+) requests per second");

  private RedisPipelineReport() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    Path out = Path.of(args.length > 0 ? args[0] : "benchmarks");
    int decisions = args.length > 1 ? Integer.parseInt(args[1]) : DECISIONS;
    RedisURI uri = Servers.redis();
    RedisClient client = RedisClient.create();
    try (StatefulRedisConnection<String, String> connection = client.connect(uri)) {
      RateLimit limit = RateLimit.tokenBucket("bench", LIMIT, Duration.ofSeconds(1));
      RedisRateLimiter limiter =
          RedisRateLimiter.builder(connection, limit)
              .keyPrefix("pipe:")
              .withoutDenyCache()
              .timeout(Duration.ofSeconds(30))
              .build();
      limiter.tryAcquire("warm-up", 1);
      String sha = RedisRateLimitState.tokenBucketSha();
      String[] keys = new String[KEYS];
      for (int i = 0; i < KEYS; i++) {
        keys[i] = "tenant-" + i;
      }

      Supplier<CompletionStage<?>> keelsonCall = () -> limiter.decideAsync(keys[random(KEYS)], 1);
      Supplier<CompletionStage<?>> bareCall =
          () ->
              connection
                  .async()
                  .evalsha(
                      sha,
                      ScriptOutputType.MULTI,
                      new String[] {limiter.redisKey(keys[random(KEYS)])},
                      "1",
                      Long.toString(LIMIT),
                      "1000000");
      // Rounds interleave the senders, so a slow spell of the machine hits each of them alike.
      double keelson = 0;
      double bareLettuce = 0;
      double reference = 0;
      String notRun = null;
      for (int round = 0; round < 3; round++) {
        keelson = Math.max(keelson, inFlight(decisions, keelsonCall));
        bareLettuce = Math.max(bareLettuce, inFlight(decisions, bareCall));
        if (notRun == null) {
          try {
            reference = Math.max(reference, redisBenchmark(uri, sha, decisions));
          } catch (IllegalStateException e) {
            notRun = e.getMessage();
          }
        }
      }
      String redisBenchmark =
          notRun != null ? notRun : String.format(Locale.ROOT, "%.0f", reference);
      write(out, keelson, bareLettuce, redisBenchmark);
    } finally {
      client.shutdown();
    }
  }

  /** Runs {@code decisions} calls, never more than {@value #IN_FLIGHT} unanswered; calls/s. */
  private static double inFlight(int decisions, Supplier<CompletionStage<?>> call)
      throws InterruptedException {
    Semaphore slots = new Semaphore(IN_FLIGHT);
    long start = System.nanoTime();
    for (int i = 0; i < decisions; i++) {
      slots.acquire();
      call.get().whenComplete((result, error) -> slots.release());
    }
    slots.acquire(IN_FLIGHT);
    return decisions / ((System.nanoTime() - start) / 1e9);
  }

  /**
   * One run of {@code redis-benchmark -P 32 -c 1} with the script's digest over 10,000 random keys.
   *
   * @return its requests per second
   * @throws IllegalStateException saying why it did not run
   */
  private static double redisBenchmark(RedisURI uri, String sha, int decisions)
      throws IOException, InterruptedException {
    List<String> command =
        List.of(
            "redis-benchmark",
            "-h",
            uri.getHost(),
            "-p",
            Integer.toString(uri.getPort()),
            "-c",
            "1",
            "-P",
            Integer.toString(IN_FLIGHT),
            "-n",
            Integer.toString(decisions),
            "-r",
            Integer.toString(KEYS),
            "-q",
            "EVALSHA",
            sha,
            "1",
            "pipe:rl:bench:{__rand_int__}",
            "1",
            Long.toString(LIMIT),
            "1000000");
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException notInstalled) {
      throw new IllegalStateException(
          "not run: `redis-benchmark` is not on the PATH (Debian: `apt-get install redis-tools`)",
          notInstalled);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException("failed: " + output.strip());
    }
    // -q rewrites one progress line with carriage returns; the last one has the result.
    String result = output.substring(output.lastIndexOf('\r') + 1).strip();
    Matcher rate = RATE.matcher(result);
    if (!rate.find()) {
      throw new IllegalStateException("no rate in its output: " + result);
    }
    log.info("redis-benchmark: {}", result);
    return Double.parseDouble(rate.group(1));
  }

  private static void write(Path out, double keelson, double bareLettuce, String redisBenchmark)
      throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# Pipelined decisions on one connection\n\n")
        .append("Written by `benchmarks/run.sh` (`RedisPipelineReport`): the token bucket script,")
        .append(" uniform keys out of ")
        .append(KEYS)
        .append(", ")
        .append(IN_FLIGHT)
        .append(" requests in flight on one connection to one Redis, best of three rounds each.")
        .append(" JDK ")
        .append(System.getProperty("java.version"))
        .append(".\n\n| sender | decisions/s | share of `redis-benchmark` |\n|---|---:|---:|\n");
    double reference = parse(redisBenchmark);
    row(md, "Keelson `RedisRateLimiter.decideAsync`", keelson, reference);
    row(md, "bare Lettuce `EVALSHA`, same script", bareLettuce, reference);
    md.append("| `redis-benchmark -c 1 -P 32`, same script | ")
        .append(redisBenchmark)
        .append(Double.isNaN(reference) ? " | – |\n" : " | 100% |\n");
    Files.createDirectories(out);
    Path file = out.resolve("PIPELINE.md");
    Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    log.info("pipelined decisions: report {}", file);
  }

  private static void row(StringBuilder md, String sender, double rate, double reference) {
    md.append("| ")
        .append(sender)
        .append(" | ")
        .append(String.format(Locale.ROOT, "%.0f", rate))
        .append(" | ")
        .append(
            Double.isNaN(reference)
                ? "–"
                : String.format(Locale.ROOT, "%.0f%%", 100 * rate / reference))
        .append(" |\n");
  }

  private static double parse(String rate) {
    try {
      return Double.parseDouble(rate);
    } catch (NumberFormatException notARate) {
      return Double.NaN;
    }
  }

  private static int random(int bound) {
    return ThreadLocalRandom.current().nextInt(bound);
  }
}
